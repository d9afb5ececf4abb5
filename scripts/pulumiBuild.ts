/**
 * Building the Pulumi CLI from the Go module proxy, for machines where the official download cannot
 * work. The CLI is the Go module `github.com/pulumi/pulumi/pkg/v3` (main package `cmd/pulumi`); it is
 * built as a tool dependency of `tools/pulumi-cli/go.mod`, whose `pkg/v3` requirement is the one pin of
 * the CLI version. The result lives in the user's cache directory, never inside the repository:
 *
 *     <cache>/pulumi-cli/v<version>/bin/pulumi
 *     <cache>/pulumi-cli/v<version>/bin/pulumi-resource-pulumi-nodejs   (the dynamic-provider plugin)
 *
 * @packageDocumentation
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The Go module that pins the CLI version. */
const TOOLS_DIR = path.resolve(__dirname, "..", "tools", "pulumi-cli");

/** Environment variable naming the cache directory instead of the platform's default. */
export const CACHE_DIR_ENV = "PULUMI_KLAVIYO_CLI_CACHE";

const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The pinned CLI version (without `v`), read from `tools/pulumi-cli/go.mod`. */
export function pinnedCliVersion(
  goMod: string = fs.readFileSync(path.join(TOOLS_DIR, "go.mod"), "utf8"),
): string {
  const pkg = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/m.exec(goMod);
  const sdk = /^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 v(\S+)/m.exec(goMod);
  if (!pkg) throw new Error("tools/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3");
  if (sdk && sdk[1] !== pkg[1]) {
    throw new Error(
      `tools/pulumi-cli/go.mod requires pkg/v3 v${pkg[1]} but sdk/v3 v${sdk[1]}: they must match`,
    );
  }
  return pkg[1];
}

/** The cache root: `$PULUMI_KLAVIYO_CLI_CACHE`, else the platform's user cache directory. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env[CACHE_DIR_ENV]) return path.resolve(env[CACHE_DIR_ENV] as string);
  const home = os.homedir();
  const base =
    platform === "win32"
      ? (env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"))
      : platform === "darwin"
        ? path.join(home, "Library", "Caches")
        : (env.XDG_CACHE_HOME ?? path.join(home, ".cache"));
  return path.join(base, "pulumi-klaviyo-coupons");
}

/** The directory that `PulumiCommand.get({ root })` expects: it runs `<root>/bin/pulumi`. */
export function cachedCliRoot(
  version: string = pinnedCliVersion(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(cacheRoot(env), "pulumi-cli", `v${version}`);
}

/** True when `go version` runs. */
export function goAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync("go", ["version"], { env, stdio: "ignore" });
  return result.status === 0;
}

/** Options of {@link buildPulumiCli}. */
export interface BuildOptions {
  /** Progress lines; a build from a cold Go cache takes several minutes. */
  log?: (line: string) => void;
  /** How often a "still building" line is printed (default 30 s). */
  progressEveryMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds the pinned CLI into {@link cachedCliRoot} and writes the dynamic-provider plugin next to it.
 * The binary is written under a temporary name and renamed, so concurrent builds and interrupted ones
 * never leave a half-written `pulumi` behind. Resolves with the root.
 */
export async function buildPulumiCli(options: BuildOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const version = pinnedCliVersion();
  const root = cachedCliRoot(version, env);
  const bin = path.join(root, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const exe = process.platform === "win32" ? "pulumi.exe" : "pulumi";
  const partial = path.join(bin, `.${exe}.${process.pid}.partial`);
  log(
    `Building the Pulumi CLI v${version} from the Go module proxy into ${root} ` +
      "(several minutes the first time; later runs reuse it)...",
  );
  const started = Date.now();
  await runGoBuild(
    [
      "build",
      "-v",
      "-trimpath",
      "-ldflags",
      `-s -w -X ${VERSION_SYMBOL}=v${version}`,
      "-o",
      partial,
      CLI_PACKAGE,
    ],
    {
      env: { ...env, CGO_ENABLED: "0" },
      log,
      progressEveryMs: options.progressEveryMs ?? 30_000,
    },
  );
  fs.renameSync(partial, path.join(bin, exe));
  writeNodejsPlugin(bin);
  log(`Built the Pulumi CLI v${version} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return root;
}

/**
 * Writes `pulumi-resource-pulumi-nodejs`, the plugin the CLI starts for dynamic resources. The official
 * CLI ships it; a source build does not. The CLI runs it in the program's directory, so it starts the
 * dynamic-provider host of the `@pulumi/pulumi` installed in that project.
 */
export function writeNodejsPlugin(bin: string): void {
  const script = [
    "#!/bin/sh",
    "# Written by pulumi-klaviyo-coupons (scripts/pulumiBuild.ts) next to a source-built Pulumi CLI.",
    "# Pulumi starts this plugin in the program's directory: run the dynamic-provider host of the",
    "# @pulumi/pulumi package installed there.",
    `host=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1`,
    'exec node "$host" "$@"',
    "",
  ].join("\n");
  const target = path.join(bin, "pulumi-resource-pulumi-nodejs");
  fs.writeFileSync(target, script, { mode: 0o755 });
  if (process.platform === "win32") {
    const cmd = [
      "@echo off",
      `for /f "delims=" %%i in ('node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))"') do set host=%%i`,
      'node "%host%" %*',
      "",
    ].join("\r\n");
    fs.writeFileSync(`${target}.cmd`, cmd);
  }
}

interface GoRun {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  progressEveryMs: number;
}

/** Runs `go` in the tools module; `-v` prints one line per compiled package, which we count for progress. */
function runGoBuild(args: string[], run: GoRun): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd: TOOLS_DIR, env: run.env, stdio: ["ignore", "pipe", "pipe"] });
    const started = Date.now();
    let packages = 0;
    let downloads = 0;
    const tail: string[] = [];
    const onLine = (line: string) => {
      if (line.startsWith("go: downloading ")) downloads += 1;
      else if (/^[\w.-]+(\/[\w.@~+-]+)*$/.test(line)) packages += 1;
      else tail.push(line);
      if (tail.length > 20) tail.shift();
    };
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) onLine(line.trim());
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      run.log(
        `  still building the Pulumi CLI: ${seconds} s, ${downloads} modules downloaded, ${packages} packages compiled`,
      );
    }, run.progressEveryMs);
    timer.unref();
    child.on("error", (err) => {
      clearInterval(timer);
      reject(new Error(`could not run go: ${err.message}`));
    });
    child.on("close", (code) => {
      clearInterval(timer);
      if (buffer) onLine(buffer.trim());
      if (code === 0) resolve();
      else reject(new Error(`go build of the Pulumi CLI failed (exit ${code}):\n${tail.join("\n")}`));
    });
  });
}
