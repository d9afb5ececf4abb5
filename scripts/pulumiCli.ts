/**
 * Finding (or, when the network allows, installing) the Pulumi CLI for `npm start`.
 *
 * Order: `pulumi` on PATH, then an earlier automatic install under `~/.pulumi/versions/<sdk version>`,
 * then `PulumiCommand.install` (the Automation API's standard installer). The install is attempted only
 * after a quick reachability probe and is bounded by a timeout, so `npm start` never hangs offline.
 *
 * @packageDocumentation
 */
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { version as sdkVersion } from "@pulumi/pulumi/version";

/** URL the installer downloads first; probing it tells quickly whether installing can work at all. */
export const DEFAULT_PROBE_URL = "https://get.pulumi.com/install.sh";

/** Environment variable that replaces {@link DEFAULT_PROBE_URL} (used by tests to simulate no network). */
export const PROBE_URL_ENV = "NPM_START_PULUMI_PROBE_URL";

/** Thrown when no usable CLI was found and none could be installed. Its message is meant for the user. */
export class PulumiCliMissingError extends Error {
  /** Creates the error with the one-paragraph explanation built from `reasons`. */
  constructor(readonly reasons: string[]) {
    super(missingCliMessage(reasons));
    this.name = "PulumiCliMissingError";
  }
}

/** The Automation API calls this module uses; replaceable in tests. */
export interface CliCommands {
  /** Like `PulumiCommand.get`: resolves when the CLI at `root` (or on PATH when absent) works. */
  get(root?: string): Promise<PulumiCommand>;
  /** Like `PulumiCommand.install`: downloads and installs the CLI into `root`. */
  install(root: string): Promise<PulumiCommand>;
}

/** Options of {@link obtainPulumiCli}. */
export interface ObtainCliOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Where an automatic install lives; default `~/.pulumi/versions/<sdk version>`, as the SDK's own default. */
  installRoot?: string;
  /** Try to install when nothing is found (default true). */
  allowInstall?: boolean;
  /** URL probed before installing; default `$NPM_START_PULUMI_PROBE_URL` or {@link DEFAULT_PROBE_URL}. */
  probeUrl?: string;
  /** Deadline of the probe (default 5 s): a firewall that drops packets must not stall `npm start`. */
  probeTimeoutMs?: number;
  /** Deadline of the whole install (default 60 s). */
  installTimeoutMs?: number;
  /** Seam for tests. */
  commands?: CliCommands;
}

const defaultCommands: CliCommands = {
  get: (root) => PulumiCommand.get(root ? { root } : undefined),
  install: (root) => PulumiCommand.install({ root }),
};

/**
 * Returns a working Pulumi CLI, installing it when possible.
 *
 * @throws PulumiCliMissingError with a user-facing explanation when none can be obtained.
 */
export async function obtainPulumiCli(options: ObtainCliOptions = {}): Promise<PulumiCommand> {
  const commands = options.commands ?? defaultCommands;
  const log = options.log ?? (() => undefined);
  const root = options.installRoot ?? path.join(os.homedir(), ".pulumi", "versions", sdkVersion);
  const reasons: string[] = [];

  try {
    return await commands.get();
  } catch (err) {
    const detail = describe(err);
    reasons.push(
      detail === "not found" ? "no `pulumi` command on your PATH" : `\`pulumi\` on your PATH: ${detail}`,
    );
  }
  try {
    return await commands.get(root);
  } catch {
    // No earlier automatic install: nothing worth reporting beyond the PATH failure.
  }
  if (options.allowInstall === false) {
    reasons.push("automatic installation is turned off");
    throw new PulumiCliMissingError(reasons);
  }

  const probeUrl = options.probeUrl ?? (process.env[PROBE_URL_ENV] || DEFAULT_PROBE_URL);
  const unreachable = await probe(probeUrl, options.probeTimeoutMs ?? 5_000);
  if (unreachable) {
    reasons.push(
      `installing it automatically is not possible: ${new URL(probeUrl).host} is unreachable (${unreachable})`,
    );
    throw new PulumiCliMissingError(reasons);
  }

  const timeoutMs = options.installTimeoutMs ?? 60_000;
  log(`Installing the Pulumi CLI ${sdkVersion} into ${root} (at most ${Math.round(timeoutMs / 1000)} s)...`);
  try {
    return await withTimeout(commands.install(root), timeoutMs, "the download did not finish in time");
  } catch (err) {
    reasons.push(`installing it automatically failed: ${describe(err)}`);
    throw new PulumiCliMissingError(reasons);
  }
}

/** Resolves with a short reason when `url` cannot be fetched within `timeoutMs`, or `undefined` when it can. */
export async function probe(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
    // Drain nothing: HEAD has no body. Any HTTP answer means the host is reachable.
    return response.status < 500 ? undefined : `HTTP ${response.status}`;
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs} ms`;
    const code = e.cause?.code;
    if (code) return NETWORK_ERRORS[code] ? `${code}: ${NETWORK_ERRORS[code]}` : code;
    return e.cause?.message ?? describe(err);
  }
}

/** Plain words for the network errors an offline or firewalled machine produces. */
const NETWORK_ERRORS: Record<string, string> = {
  ENOTFOUND: "the name does not resolve; no network or no DNS",
  EAI_AGAIN: "DNS lookup failed; no network or no DNS",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENETUNREACH: "no route to the network",
  EHOSTUNREACH: "no route to the host",
  ETIMEDOUT: "connection timed out",
};

/** The one-paragraph explanation printed when the CLI is missing. */
export function missingCliMessage(reasons: string[]): string {
  const text =
    "npm start needs the Pulumi CLI, and none could be found or installed (" +
    reasons.join("; ") +
    "). Install it with `curl -fsSL https://get.pulumi.com | sh` (Linux, macOS), " +
    "`brew install pulumi/tap/pulumi` (macOS) or `winget install pulumi` (Windows), " +
    "see https://www.pulumi.com/docs/install/ for other ways, check that `pulumi version` works in a new " +
    "terminal, and then re-run `npm start`. Nothing was started or changed; `npm test` does not need the CLI.";
  return wrap(text, 100);
}

function describe(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  // Command errors from the Automation API embed the full command line and stderr; the first
  // meaningful line is what the user needs.
  const line = raw
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.length > 0 && !/^(code|stdout|stderr|err\?):/.test(l) && !l.startsWith("Error: "));
  const text = (line ?? raw).replace(/^Error:\s*/, "");
  if (/ENOENT/.test(raw)) return "not found";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${reason} (${Math.round(ms / 1000)} s)`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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
