/**
 * Getting the Pulumi CLI for `npm start`, the acceptance suite and `npm run pulumi:install`.
 *
 * Order: a `pulumi` on PATH that is new enough; else the build cached in the user's cache directory
 * (`scripts/pulumiBuild.ts`); else a fresh build from the Go module proxy when `go` is present; else an
 * error telling the user how to install the official CLI.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { buildPulumiCli, cachedCliRoot, goAvailable, pinnedCliVersion } from "./pulumiBuild";

/**
 * The oldest CLI accepted from PATH. The acceptance suite runs on the pinned version; this floor is the
 * release whose Automation API protocol (`--client` for inline refresh and destroy) the SDK relies on.
 */
const MIN_CLI_VERSION = "3.200.0";

const MISSING = "PulumiCliMissing";

/** The error {@link obtainPulumiCli} throws when no CLI can be had; its message is meant for the user. */
export type PulumiCliMissingError = Error & { name: typeof MISSING; reasons: string[] };

/** Creates a {@link PulumiCliMissingError} with the one-paragraph explanation built from `reasons`. */
function pulumiCliMissingError(reasons: string[]): PulumiCliMissingError {
  return Object.assign(new Error(missingCliMessage(reasons)), {
    name: MISSING,
    reasons,
  }) as PulumiCliMissingError;
}

/** True for errors made by {@link pulumiCliMissingError}. */
export function isPulumiCliMissingError(err: unknown): err is PulumiCliMissingError {
  return err instanceof Error && err.name === MISSING;
}

/** The outside world {@link obtainPulumiCli} touches; replaceable in tests. */
export interface CliCommands {
  /** Like `PulumiCommand.get`: resolves when the CLI at `root` (or on PATH when absent) runs. */
  get(root?: string): Promise<PulumiCommand>;
  /** True when `go` can be run. */
  goAvailable(): boolean;
  /** Builds the pinned CLI and resolves with the root to pass to {@link CliCommands.get}. */
  build(log: (line: string) => void): Promise<string>;
}

/** Options of {@link obtainPulumiCli}. */
export interface ObtainCliOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Build with `go` when nothing usable exists (default true). */
  allowBuild?: boolean;
  /** Seam for tests. */
  commands?: CliCommands;
}

const defaultCommands: CliCommands = {
  get: (root) => PulumiCommand.get(root ? { root, skipVersionCheck: true } : { skipVersionCheck: true }),
  goAvailable: () => goAvailable(),
  build: (log) => buildPulumiCli({ log }),
};

/**
 * Returns a working Pulumi CLI, building the pinned version when needed.
 *
 * @throws PulumiCliMissingError with a user-facing explanation when none can be had.
 */
export async function obtainPulumiCli(options: ObtainCliOptions = {}): Promise<PulumiCommand> {
  const commands = options.commands ?? defaultCommands;
  const log = options.log ?? (() => undefined);
  const reasons: string[] = [];

  try {
    const cli = await commands.get();
    const problem = tooOld(cli);
    if (!problem) return cli;
    reasons.push(`\`pulumi\` on your PATH is ${problem}`);
  } catch (err) {
    const detail = describe(err);
    reasons.push(
      detail === "not found" ? "no `pulumi` command on your PATH" : `\`pulumi\` on your PATH: ${detail}`,
    );
  }
  const root = cachedCliRoot();
  if (fs.existsSync(path.join(root, "bin"))) {
    try {
      return await commands.get(root);
    } catch (err) {
      log(`The cached Pulumi CLI in ${root} does not run (${describe(err)}); building it again.`);
    }
  }
  if (options.allowBuild === false) {
    reasons.push("building it from the Go module proxy is turned off");
    throw pulumiCliMissingError(reasons);
  }
  if (!commands.goAvailable()) {
    reasons.push("no `go` command to build it from the Go module proxy");
    throw pulumiCliMissingError(reasons);
  }
  try {
    return await commands.get(await commands.build(log));
  } catch (err) {
    reasons.push(`building it from the Go module proxy failed: ${describe(err)}`);
    throw pulumiCliMissingError(reasons);
  }
}

/** A reason when `cli` is older than {@link MIN_CLI_VERSION}, else `undefined`. */
function tooOld(cli: PulumiCommand): string | undefined {
  const version = cli.version?.version;
  if (!version) return "of an unknown version";
  return compareVersions(version, MIN_CLI_VERSION) < 0
    ? `v${version}, older than v${MIN_CLI_VERSION}`
    : undefined;
}

/** Compares dotted numeric versions (`3.274.1`), ignoring any pre-release suffix. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The one-paragraph explanation printed when no CLI can be had. */
export function missingCliMessage(reasons: string[]): string {
  const text =
    "This needs the Pulumi CLI, and none could be found or built (" +
    reasons.join("; ") +
    "). Install it with `curl -fsSL https://get.pulumi.com | sh` (Linux, macOS), " +
    "`brew install pulumi/tap/pulumi` (macOS) or `winget install pulumi` (Windows), " +
    "see https://www.pulumi.com/docs/install/ for other ways, check that `pulumi version` works in a new " +
    `terminal, and run the command again; or install Go and run \`npm run pulumi:install\` to build v${pinnedCliVersion()} ` +
    "from the Go module proxy. Nothing was started or changed.";
  return wrap(text, 100);
}

function describe(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  if (/ENOENT/.test(raw)) return "not found";
  // Command errors from the Automation API embed the full command line and stderr; the first
  // meaningful line is what the user needs.
  const line = raw
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.length > 0 && !/^(code|stdout|stderr|err\?):/.test(l) && !l.startsWith("Error: "));
  const text = (line ?? raw).replace(/^Error:\s*/, "");
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  // Commands in backticks stay on one line so they can be copied.
  for (const word of text.match(/`[^`]*`\S*|\S+/g) ?? []) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join("\n");
}
