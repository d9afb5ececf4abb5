/**
 * Input/output plumbing of the `klaviyo-coupons` command: streams, exit codes, failures, progress.
 *
 * Everything goes through a {@link CliIo} so tests run the command in-process with fake streams.
 *
 * @packageDocumentation
 */
import type { WaitInfo } from "../provider/client";
import { formatSeconds } from "../provider/client/waits";

/** The part of a writable stream the command uses (`process.stdout` fits). */
export interface CliStream {
  /** Writes text; returning `false` means "wait for `drain`" (when the stream supports `once`). */
  write(chunk: string): unknown;
  /** True on a terminal: progress is drawn only there. */
  isTTY?: boolean;
  /** Registers a one-shot listener (used for `drain`). */
  once?(event: "drain", listener: () => void): unknown;
}

/** Where the command reads its environment and writes its output. */
export interface CliIo {
  /** Results (tables, JSON, CSV). */
  stdout: CliStream;
  /** Errors, warnings and progress. */
  stderr: CliStream;
  /** Environment (`KLAVIYO_API_KEY`, `KLAVIYO_BASE_URL`, `KLAVIYO_REVISION`). */
  env: Record<string, string | undefined>;
  /** Directory relative paths (`--api-key-file`) are read from; default `process.cwd()`. */
  cwd?: string;
}

/** Exit statuses. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A Klaviyo call or something else at run time failed. */
  failure: 1,
  /** Bad arguments or missing credentials: nothing was sent. */
  usage: 2,
  /** Low stock: fewer unassigned codes than `availability --min N`, or a pool low in `check-stock`. */
  belowMinimum: 3,
  /** `review` found a dangerous change (held codes deleted, a `fail-if-assigned` apply bound to fail, low stock). */
  dangerous: 4,
} as const;

/** The program name used in messages. */
export const PROGRAM = "klaviyo-coupons";

// A symbol rather than an Error subclass, so the check survives module copies (ts-node and dist).
const EXIT_CODE = Symbol.for("pulumi-klaviyo-coupons.cli.exitCode");

/**
 * Builds an error that ends the command with a given status and a one-line message.
 *
 * @param exitCode - Process exit status.
 * @param message - What to print after `klaviyo-coupons: `.
 */
export function cliError(exitCode: number, message: string): Error {
  const err = new Error(message);
  Object.defineProperty(err, EXIT_CODE, { value: exitCode, enumerable: false });
  return err;
}

/**
 * A usage error (exit 2) pointing at the command's help.
 *
 * @param command - Subcommand name, or undefined at top level.
 * @param message - What is wrong.
 */
export function usageError(command: string | undefined, message: string): Error {
  const help = command === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${command} --help`;
  return cliError(EXIT.usage, `${message} (see '${help}')`);
}

/**
 * The exit status carried by an error from {@link cliError}, or undefined for other errors.
 *
 * @param e - Anything caught.
 */
export function exitCodeOf(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const code = (e as Record<symbol, unknown>)[EXIT_CODE];
  return typeof code === "number" ? code : undefined;
}

/**
 * Writes text, waiting for `drain` when the stream asks to, so a large CSV export into a slow pipe does
 * not pile up in memory.
 *
 * @param stream - Destination.
 * @param text - Text to write.
 */
export async function emit(stream: CliStream, text: string): Promise<void> {
  if (stream.write(text) === false && typeof stream.once === "function") {
    await new Promise<void>((resolve) => stream.once?.("drain", resolve));
  }
}

/**
 * Collapses a message to one line and removes secrets from it.
 *
 * @param message - Any message.
 * @param secrets - Values that must never be printed (API keys).
 */
export function oneLine(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join("[REDACTED]");
  return out.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** A progress line on stderr. */
export interface CliProgress {
  /** Shows a new state (at most every 100 ms). */
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

/**
 * Draws progress on stderr when it is a terminal, redrawing one line; does nothing otherwise, so
 * pipes, files and CI logs get only results and errors.
 *
 * @param stream - stderr.
 * @param minIntervalMs - Least time between redraws.
 */
export function createProgress(stream: CliStream, minIntervalMs = 100): CliProgress {
  if (stream.isTTY !== true) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < minIntervalMs) return;
      last = now;
      shown = true;
      // \r and "erase to end of line" redraw in place instead of scrolling.
      stream.write(`\r${text}\u001b[K`);
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}

/** The part of the client's `WaitInfo` a retry notice reads (it holds no key, header or code value). */
export type RetryInfo = Pick<
  WaitInfo,
  "reason" | "status" | "code" | "method" | "path" | "waitMs" | "attempt"
>;

/**
 * The line announcing a retry, e.g. `GET /api/coupons failed (ECONNREFUSED); retrying in 1.2 s
 * (attempt 2 of 5)`. Rate-limit retries are counted apart from `maxAttempts`, so they show no total.
 *
 * @param info - The coming wait, as the client's `onWait` reports it.
 * @param maxAttempts - The client's `retry.maxAttempts` (attempts allowed for 5xx and network failures).
 */
export function retryNotice(info: RetryInfo, maxAttempts: number): string {
  const next = info.attempt + 1;
  const request = `${info.method} ${info.path}`;
  const wait = formatSeconds(info.waitMs);
  if (info.status === 429) {
    const asked = info.reason === "retry-after" ? `Klaviyo asked to wait ${wait} s` : `waiting ${wait} s`;
    return `${request} was rate limited (HTTP 429); ${asked} before retrying (attempt ${next})`;
  }
  const why = info.status === 0 ? (info.code ?? "network error") : `HTTP ${info.status}`;
  const of = next <= maxAttempts ? ` of ${maxAttempts}` : "";
  return `${request} failed (${why}); retrying in ${wait} s (attempt ${next}${of})`;
}

/**
 * Builds the client's `onWait`: one line per retry on stderr, so a command that cannot reach Klaviyo
 * says so while it retries instead of going quiet for seconds.
 *
 * @param stream - stderr.
 * @param secrets - Values never to print (the API key), checked although the notice holds none.
 * @param maxAttempts - The client's `retry.maxAttempts`.
 */
export function retryNotices(
  stream: CliStream,
  secrets: readonly string[],
  maxAttempts: number,
): (info: RetryInfo) => void {
  return (info) => {
    // On a terminal a progress line may be showing: clear it rather than append to it.
    const clear = stream.isTTY === true ? "\r\u001b[K" : "";
    stream.write(`${clear}${PROGRAM}: ${oneLine(retryNotice(info, maxAttempts), secrets)}\n`);
  };
}
