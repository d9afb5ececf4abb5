/**
 * Retry timing: backoff with full jitter, `Retry-After` parsing, and a sleep that never overflows Node's
 * 32-bit timers.
 *
 * @packageDocumentation
 */

/**
 * Longest delay Node's `setTimeout` honours (2^31-1 ms, about 24.8 days). A longer delay fires after 1 ms
 * with a `TimeoutOverflowWarning`, so the client never passes one.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Largest `Retry-After` {@link parseRetryAfter} returns, in seconds (larger values are clamped to it, so
 * the value in milliseconds stays an exact integer). Any value this large is far above every wait cap, so
 * the request fails at once.
 */
export const MAX_RETRY_AFTER_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

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
 * Resolves after `ms` milliseconds. Delays above {@link MAX_TIMER_MS} are slept in steps, never passed to
 * `setTimeout` whole; a negative or NaN delay resolves on the next timer tick.
 *
 * @param ms - Delay.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    let left = ms > 0 ? ms : 0;
    const step = (): void => {
      if (left <= MAX_TIMER_MS) {
        setTimeout(resolve, left);
        return;
      }
      left -= MAX_TIMER_MS;
      setTimeout(step, MAX_TIMER_MS);
    };
    step();
  });
}

const DAYS = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAYS = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MON = "([A-Za-z]{3})";
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
// RFC 9110 section 5.6.7: IMF-fixdate, then the obsolete RFC 850 and asctime forms recipients must accept.
const IMF_FIXDATE = new RegExp(`^${DAYS}, (\\d{2}) ${MON} (\\d{4}) ${TIME} GMT$`, "i");
const RFC850_DATE = new RegExp(`^${LONG_DAYS}, (\\d{2})-${MON}-(\\d{2}) ${TIME} GMT$`, "i");
const ASCTIME_DATE = new RegExp(`^${DAYS} ${MON} ([ \\d]\\d) ${TIME} (\\d{4})$`, "i");

function utc(year: number, month: string, day: string, h: string, m: string, s: string): number | undefined {
  const mi = MONTHS.indexOf(month.toLowerCase());
  const d = Number(day);
  const [hh, mm, ss] = [Number(h), Number(m), Number(s)];
  if (mi < 0 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const at = Date.UTC(year, mi, d, hh, mm, Math.min(ss, 59));
  // Date.UTC rolls 31 Feb over into March: such a date is malformed, not a date in March.
  return new Date(at).getUTCDate() === d ? at : undefined;
}

/**
 * Parses an HTTP date in any of the three forms RFC 9110 allows (`Sun, 06 Nov 1994 08:49:37 GMT`,
 * `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`); nothing else, unlike the lenient
 * `Date.parse`, which reads `"-5"` or `"soon 5"` as dates.
 *
 * @param text - Trimmed header text.
 * @param nowMs - Current time (for the two-digit years of the RFC 850 form).
 * @returns Milliseconds since the epoch, or undefined when the text is not an HTTP date.
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[6]), m[1], m[2].trim(), m[3], m[4], m[5]);
  m = RFC850_DATE.exec(text);
  if (!m) return undefined;
  // A two-digit year more than 50 years ahead means the most recent past year with those digits.
  const thisYear = new Date(nowMs).getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
  if (year > thisYear + 50) year -= 100;
  return utc(year, m[2], m[1], m[4], m[5], m[6]);
}

/**
 * Parses `Retry-After` into seconds to wait. Rules:
 * - delta-seconds (`120`; a fraction such as `1.5` is accepted too) are taken as they are;
 * - an HTTP date (see {@link parseHttpDate}) becomes the seconds from now until then, rounded up; a date
 *   in the past means 0;
 * - values above {@link MAX_RETRY_AFTER_SECONDS} (absurd numbers, far-future dates) are clamped to it;
 *   the client then refuses to wait that long rather than sleeping or overflowing a timer;
 * - anything else (absent, empty, negative such as `-5`, garbage such as `soon`, exponents such as
 *   `1e3`) gives undefined, and the client falls back to its own exponential backoff.
 *
 * @param value - Header value (the first one when an array; a number is accepted too).
 * @param nowMs - Current time, for dates.
 * @returns Seconds to wait (>= 0), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  let seconds: number | undefined;
  if (typeof v === "number") {
    seconds = v >= 0 ? v : undefined;
  } else if (typeof v === "string") {
    const s = v.trim();
    if (/^\d+(\.\d+)?$/.test(s)) seconds = Number(s);
    else {
      const at = parseHttpDate(s, nowMs);
      seconds = at === undefined ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
    }
  }
  if (seconds === undefined || Number.isNaN(seconds)) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
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
