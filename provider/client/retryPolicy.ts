/**
 * Retry timing: backoff with full jitter and `Retry-After` parsing.
 *
 * @packageDocumentation
 */

/**
 * Whether a status means "an intermediary gave up waiting for the origin" (502, 504, Cloudflare's 524):
 * the origin may still have done the work.
 *
 * @param status - HTTP status.
 */
export function isGatewayTimeout(status: number): boolean {
  return status === 502 || status === 504 || status === 524;
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @param ms - Delay.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Parses `Retry-After` (integer seconds, or an HTTP date).
 *
 * @param value - Header value.
 * @returns Seconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Full-jitter exponential backoff: uniform in [0, min(max, base * 2^(n-1))].
 *
 * @param n - 1-based failure count.
 * @param baseDelayMs - Delay cap of the first retry.
 * @param maxDelayMs - Largest cap.
 */
export function backoffDelay(n: number, baseDelayMs: number, maxDelayMs: number): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(n - 1, 30));
  return Math.floor(Math.random() * cap);
}
