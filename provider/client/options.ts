/**
 * Client options, their defaults and validation.
 *
 * @packageDocumentation
 */
import type { RequestInfo, RetrySettings } from "./clientTypes";
import { MAX_TIMER_MS } from "./retryPolicy";
import type { WaitInfo } from "./waits";

/** Klaviyo API origin. */
export const DEFAULT_BASE_URL = "https://a.klaviyo.com";

/** API revision sent in the `revision` header. */
export const DEFAULT_REVISION = "2026-07-15";

/** Default `User-Agent`. */
export const DEFAULT_USER_AGENT = "pulumi-klaviyo-coupons";

/** Options for `createKlaviyoClient`. */
export interface KlaviyoClientOptions {
  /** Klaviyo private API key (sent as `Authorization: Klaviyo-API-Key <key>`). */
  apiKey: string;
  /** API origin; default {@link DEFAULT_BASE_URL}. Must be https unless the host is a loopback address. */
  baseUrl?: string;
  /** API revision; default {@link DEFAULT_REVISION}. */
  revision?: string;
  /**
   * Client-side rate limiting (default on, scale 1). `scale` multiplies Klaviyo's per-tier limits, e.g.
   * 0.5 leaves half of the account's budget to other integrations.
   */
  rateLimit?: { enabled?: boolean; scale?: number };
  /**
   * Retry policy for 5xx and network failures (defaults: 5 attempts, 500 ms base, 20 s cap).
   * `maxRateLimitRetries` (default 20) bounds how many 429s one call tolerates.
   *
   * Waits are capped so a call never stalls silently for long:
   * - `maxWaitMs` (default 60000, at most 2^31-1): the longest single wait. A 429 whose `Retry-After` asks
   *   for more fails the call at once (`... (Klaviyo asked to wait 900 s, more than the 60 s maximum)`);
   *   the client's own backoff is shortened to it.
   * - `maxTotalWaitMs` (default 600000, 10 minutes): the longest total of one call's retry waits
   *   (`Retry-After` and backoff; not time queued behind the client-side rate limiter). A wait that would
   *   pass it fails the call instead.
   */
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    maxRateLimitRetries?: number;
    maxWaitMs?: number;
    maxTotalWaitMs?: number;
  };
  /** Deadline for each HTTP attempt in ms; default 60000, at most 2^31-1 (Node's longest timer). */
  timeoutMs?: number;
  /** `User-Agent` header; default {@link DEFAULT_USER_AGENT}. */
  userAgent?: string;
  /** Called after every HTTP attempt (including retried ones); exceptions it throws are ignored. */
  onRequest?: (info: RequestInfo) => void;
  /**
   * Called before every wait ahead of a retry (429, 5xx, network failure), with a one-line `message` that
   * holds no API key and no code values; exceptions it throws are ignored. The default, `defaultOnWait`,
   * writes waits longer than 5 s to `console.error` (`[klaviyo] Klaviyo asked to wait 42 s (429 on GET
   * /api/coupon-codes/{id}); waiting`), so a long quiet spell has a visible reason. Pass `() => {}` to
   * silence it.
   */
  onWait?: (info: WaitInfo) => void;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  /** The API key. */
  apiKey: string;
  /** Base URL, always ending in `/`. */
  baseUrl: string;
  /** Revision header value. */
  revision: string;
  /** Whether the client-side limiter is used. */
  rateLimitEnabled: boolean;
  /** Limit multiplier. */
  scale: number;
  /** Retry settings. */
  retry: RetrySettings;
  /** Per-attempt deadline. */
  timeoutMs: number;
  /** User-Agent header value. */
  userAgent: string;
  /** Attempt observer. */
  onRequest?: (info: RequestInfo) => void;
  /** Wait observer (undefined: the default notice). */
  onWait?: (info: WaitInfo) => void;
}

function unsafeHeaderChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x20 || code === 0x7f || code > 0x7e;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function number(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  { integer = false, max = Infinity }: { integer?: boolean; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
    throw new TypeError(`Klaviyo client: ${name} must be ${integer ? "an integer" : "a number"} ${range}`);
  }
  return value;
}

function retrySettings(input: KlaviyoClientOptions["retry"]): RetrySettings {
  const retry = input ?? {};
  return {
    maxAttempts: number("retry.maxAttempts", retry.maxAttempts, 5, 1, { integer: true }),
    baseDelayMs: number("retry.baseDelayMs", retry.baseDelayMs, 500, 0),
    maxDelayMs: number("retry.maxDelayMs", retry.maxDelayMs, 20_000, 0),
    maxRateLimitRetries: number("retry.maxRateLimitRetries", retry.maxRateLimitRetries, 20, 0, {
      integer: true,
    }),
    maxWaitMs: number("retry.maxWaitMs", retry.maxWaitMs, 60_000, 0, { max: MAX_TIMER_MS }),
    maxTotalWaitMs: number("retry.maxTotalWaitMs", retry.maxTotalWaitMs, 600_000, 0),
  };
}

/**
 * Checks a base URL and normalises it to end in `/`.
 *
 * @param raw - URL given by the user.
 * @throws TypeError when it is not an absolute http(s) URL, uses http for a non-loopback host, or carries
 *   credentials, a query or a fragment.
 */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError("Klaviyo client: baseUrl is not an absolute URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    // Plain http would send the API key in clear text over the network.
    throw new TypeError("Klaviyo client: baseUrl must use https (http is allowed only for loopback hosts)");
  }
  if (url.username || url.password)
    throw new TypeError("Klaviyo client: baseUrl must not contain credentials");
  if (url.search || url.hash)
    throw new TypeError("Klaviyo client: baseUrl must not have a query or fragment");
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `${url.origin}${path}`;
}

/**
 * Applies defaults and validates options.
 *
 * @param options - User options.
 * @throws TypeError on invalid options (messages never include the API key).
 */
export function resolveOptions(options: KlaviyoClientOptions): ResolvedOptions {
  if (!options || typeof options !== "object") throw new TypeError("Klaviyo client: options are required");
  const { apiKey } = options;
  // Header-unsafe characters would be rejected deep inside Node with the value in the message.
  if (typeof apiKey !== "string" || apiKey.length === 0 || [...apiKey].some(unsafeHeaderChar)) {
    throw new TypeError("Klaviyo client: apiKey must be a non-empty string without whitespace");
  }
  const revision = options.revision ?? DEFAULT_REVISION;
  if (typeof revision !== "string" || !/^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9]+)?$/.test(revision)) {
    throw new TypeError("Klaviyo client: revision must look like YYYY-MM-DD[.suffix]");
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  if (typeof userAgent !== "string" || /[\r\n]/.test(userAgent)) {
    throw new TypeError("Klaviyo client: userAgent must be a single-line string");
  }
  const scale = number("rateLimit.scale", options.rateLimit?.scale, 1, Number.MIN_VALUE);
  const retry = retrySettings(options.retry);
  for (const name of ["onRequest", "onWait"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new TypeError(`Klaviyo client: ${name} must be a function`);
    }
  }
  return {
    apiKey,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    revision,
    rateLimitEnabled: options.rateLimit?.enabled !== false,
    scale,
    retry,
    timeoutMs: number("timeoutMs", options.timeoutMs, 60_000, 1, { max: MAX_TIMER_MS }),
    userAgent,
    onRequest: options.onRequest,
    onWait: options.onWait,
  };
}
