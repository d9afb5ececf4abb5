/**
 * Waits before retries: the caps on how long one request may wait, and the notice a user sees when the
 * client is about to go quiet for a while.
 *
 * @packageDocumentation
 */

/** Why the client is about to wait before trying a request again. */
export type WaitReason =
  /** A 429 whose `Retry-After` said how long. */
  | "retry-after"
  /** The client's own exponential backoff (a 429 without `Retry-After`, a 5xx, or a network failure). */
  | "backoff";

/** What `onWait` is told before the client sleeps ahead of a retry. Holds no API key and no code values. */
export interface WaitInfo {
  /** Who chose the length of the wait. */
  reason: WaitReason;
  /** Status of the failed attempt (429, 5xx), or 0 after a network failure. */
  status: number;
  /** Network error code (e.g. `ECONNRESET`) when `status` is 0. */
  code?: string;
  /** HTTP method. */
  method: string;
  /**
   * Request path with a leading `/`, where every `/api/coupon-codes/<id>` segment reads
   * `/api/coupon-codes/{id}` (coupon-code ids contain the codes themselves).
   */
  path: string;
  /** Klaviyo operationId (snake_case). */
  operationId: string;
  /** How long the client will wait, in ms. */
  waitMs: number;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** Time this request already spent in such waits, in ms (this wait not included). */
  waitedMs: number;
  /** The notice as one line, e.g. `Klaviyo asked to wait 42 s (429 on GET /api/coupon-codes/{id}); waiting`. */
  message: string;
}

/** Waits longer than this (5 s) are announced by {@link defaultOnWait}. */
export const LONG_WAIT_MS = 5000;

/** Caps on retry waits (see `retry.maxWaitMs` and `retry.maxTotalWaitMs` in the client options). */
export interface WaitLimits {
  /** Longest single wait; a server asking for more makes the request fail at once. */
  maxWaitMs: number;
  /** Longest total of one request's retry waits; a wait that would pass it makes the request fail. */
  maxTotalWaitMs: number;
}

/**
 * The default `onWait`: writes {@link WaitInfo.message} to `console.error`, prefixed with `[klaviyo] `,
 * when the wait is longer than {@link LONG_WAIT_MS}; shorter waits are silent.
 *
 * @param info - The coming wait.
 */
export function defaultOnWait(info: WaitInfo): void {
  if (info.waitMs > LONG_WAIT_MS) console.error(`[klaviyo] ${info.message}`);
}

/**
 * Renders milliseconds as seconds for messages: whole seconds from 10 s up, tenths below, always rounded
 * up (so a wait is never shown shorter than it is).
 *
 * @param ms - Duration.
 */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s >= 10) return String(Math.ceil(s));
  return String(Math.ceil(s * 10) / 10);
}

/**
 * A request path as shown in wait notices: a leading `/`, and every coupon-code id replaced by `{id}`.
 *
 * @param path - Path relative to the base URL (no query string).
 */
export function displayPath(path: string): string {
  const p = path.startsWith("/") ? path : `/${path}`;
  return p.replace(/(^|\/)api\/coupon-codes\/[^/?#]+/g, "$1api/coupon-codes/{id}");
}

/**
 * The one-line notice for a coming wait (no prefix).
 *
 * @param w - The wait, without its message.
 */
export function waitMessage(w: Omit<WaitInfo, "message">): string {
  const what = `${w.status === 0 ? (w.code ?? "network error") : w.status} on ${w.method} ${w.path}`;
  const s = formatSeconds(w.waitMs);
  if (w.reason === "retry-after") return `Klaviyo asked to wait ${s} s (${what}); waiting`;
  return `waiting ${s} s before retrying (${what}, attempt ${w.attempt})`;
}

/**
 * Checks a coming wait against the caps.
 *
 * @param waitMs - The wait.
 * @param waitedMs - What the request already waited.
 * @param limits - The caps.
 * @param asked - Whether the server asked for this wait (`Retry-After`) rather than the client's backoff.
 * @returns A clause for the error detail saying why the wait is refused, or undefined when it is allowed.
 */
export function refuseWait(
  waitMs: number,
  waitedMs: number,
  limits: WaitLimits,
  asked: boolean,
): string | undefined {
  const wait = `${asked ? "Klaviyo asked to wait" : "the next retry would wait"} ${formatSeconds(waitMs)} s`;
  if (asked && waitMs > limits.maxWaitMs) {
    return `${wait}, more than the ${formatSeconds(limits.maxWaitMs)} s maximum`;
  }
  if (waitedMs + waitMs > limits.maxTotalWaitMs) {
    return (
      `${wait}, but this request already waited ${formatSeconds(waitedMs)} s ` +
      `and may wait at most ${formatSeconds(limits.maxTotalWaitMs)} s in total`
    );
  }
  return undefined;
}
