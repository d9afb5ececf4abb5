#!/usr/bin/env node
"use strict";
/**
 * Builds dist/ from the sources: `npm run build`, and `prepare` (npm ci, npm pack, installs from git
 * or from a directory).
 *
 *   node scripts/build.js                   clean dist/, then tsc -p tsconfig.build.json
 *   node scripts/build.js --install-missing the same, installing the build tools first if they are absent
 *
 * Plain JavaScript because it runs before anything is compiled. `--install-missing` exists for
 * `npm install <path-to-a-clone>`: npm links the directory and runs `prepare` there without installing
 * its devDependencies (unlike a git URL, for which npm installs them first), so TypeScript is missing.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");

function log(message) {
  process.stderr.write(`pulumi-klaviyo-coupons build: ${message}\n`);
}

function resolveTsc() {
  try {
    return require.resolve("typescript/bin/tsc", { paths: [root] });
  } catch {
    return undefined;
  }
}

/** Settings of the outer npm command that would make the nested `npm ci` skip the build tools. */
const OUTER_NPM_SETTINGS =
  /^npm_config_(global|location|omit|include|only|production|dev|install_links|prefix|local_prefix|save.*|dry_run|package_lock.*|ignore_scripts|workspaces?|workspace)$/i;

function installBuildTools() {
  log("TypeScript is not installed in this checkout; installing its devDependencies (npm ci) to build dist/");
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!OUTER_NPM_SETTINGS.test(key)) env[key] = value;
  }
  // The npm that runs this script, so the same version installs from the lockfile on every platform.
  const npm = process.env.npm_execpath;
  const args = ["ci", "--include=dev", "--ignore-scripts", "--no-audit", "--no-fund"];
  const result = npm
    ? spawnSync(process.execPath, [npm, ...args], { cwd: root, env, stdio: "inherit" })
    : spawnSync("npm", args, { cwd: root, env, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) {
    log("npm ci failed; run `npm ci && npm run build` in this checkout, then install it again");
    process.exit(result.status || 1);
  }
}

function main() {
  let tsc = resolveTsc();
  if (!tsc && process.argv.includes("--install-missing")) {
    installBuildTools();
    tsc = resolveTsc();
  }
  if (!tsc) {
    log("TypeScript is not installed: run `npm ci` first");
    process.exit(1);
  }
  // A file deleted or moved in the sources must not linger in the package: the shim loads modules by
  // name, and a stale one would hide a broken rename.
  fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit",
  });
  process.exit(result.status === null ? 1 : result.status);
}

main();
