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

/** Attempts per call for 5xx and network failures unless `retry.maxAttempts` says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

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

/**
 * The verdict on one connection setting: its normalised value, or what is wrong. `problem` follows the
 * setting's name (`must use https ...`); `quoted`, when present, is the part of the value a message may
 * quote before it. The caller names the setting (`klaviyo:baseUrl`, `--base-url`, `baseUrl`) and decides
 * how to quote, so every route refuses the same values for the same reason.
 */
export type SettingCheck = { ok: true; value: string } | { ok: false; problem: string; quoted?: string };

/** True for host names that never leave the machine, where plain http is acceptable (the emulator). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks an API key: a non-empty string Node accepts in a header. Checked here because Node's own
 * rejection would quote the key in its message; the problem never quotes it.
 */
export function checkApiKey(raw: unknown): SettingCheck {
  if (typeof raw !== "string") return { ok: false, problem: "must be a string" };
  if (raw === "") return { ok: false, problem: "is empty" };
  const unsafe = [...raw].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) >= 0x7f);
  if (unsafe) {
    return {
      ok: false,
      problem: "contains whitespace, control or non-ASCII characters; set it to the private key alone",
    };
  }
  return { ok: true, value: raw };
}

/** Checks a revision header value: `YYYY-MM-DD` or `YYYY-MM-DD.suffix`. */
export function checkRevision(raw: unknown): SettingCheck {
  if (typeof raw !== "string") return { ok: false, problem: "must be a string" };
  if (!/^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9]+)?$/.test(raw)) {
    return { ok: false, problem: "must look like YYYY-MM-DD or YYYY-MM-DD.suffix", quoted: raw };
  }
  return { ok: true, value: raw };
}

// User info, query and fragment may hold credentials, and a value that does not parse may be a pasted
// key: those parts are named, never quoted. The raw text is searched for "?" and "#" because an empty
// query or fragment ("https://host/?") leaves no trace in the parsed URL.
function forbiddenParts(raw: string, url: URL): string[] {
  const parts: Array<[boolean, string]> = [
    [url.username !== "" || url.password !== "", "a user name or password (user:password@)"],
    [raw.includes("?"), "a query string (?...)"],
    [raw.includes("#"), "a fragment (#...)"],
  ];
  return parts.filter(([present]) => present).map(([, what]) => what);
}

/**
 * Checks a base URL: https anywhere, plain http only for loopback hosts (the key would otherwise cross
 * the network in clear text), no user name or password, query string or fragment. Normalises it to the
 * origin and path with exactly one trailing slash, so `https://host/x`, `https://host/x/` and
 * `https://host/x//` reach the same endpoints.
 */
export function checkBaseUrl(raw: unknown): SettingCheck {
  if (typeof raw !== "string") return { ok: false, problem: "must be a string" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: `is not a valid URL (expected an origin such as ${DEFAULT_BASE_URL})` };
  }
  const forbidden = forbiddenParts(raw, url);
  if (forbidden.length > 0) return { ok: false, problem: `must not contain ${forbidden.join(" or ")}` };
  const path = url.pathname.replace(/\/+$/, "");
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  if (!secure) {
    return {
      ok: false,
      problem: "must use https (plain http is allowed only for loopback addresses)",
      // Schemes without a host ("mailto:...") show only the scheme: the rest could be anything.
      quoted: url.host === "" ? url.protocol : `${url.protocol}//${url.host}${path}`,
    };
  }
  return { ok: true, value: `${url.protocol}//${url.host}${path}/` };
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
    maxAttempts: number("retry.maxAttempts", retry.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, { integer: true }),
    baseDelayMs: number("retry.baseDelayMs", retry.baseDelayMs, 500, 0),
    maxDelayMs: number("retry.maxDelayMs", retry.maxDelayMs, 20_000, 0),
    maxRateLimitRetries: number("retry.maxRateLimitRetries", retry.maxRateLimitRetries, 20, 0, {
      integer: true,
    }),
    maxWaitMs: number("retry.maxWaitMs", retry.maxWaitMs, 60_000, 0, { max: MAX_TIMER_MS }),
    maxTotalWaitMs: number("retry.maxTotalWaitMs", retry.maxTotalWaitMs, 600_000, 0),
  };
}

function checked(name: string, check: SettingCheck): string {
  if (!check.ok) throw new TypeError(`Klaviyo client: ${name} ${check.problem}`);
  return check.value;
}

/**
 * Applies defaults and validates options.
 *
 * @param options - User options.
 * @throws TypeError on invalid options (messages never include the API key).
 */
export function resolveOptions(options: KlaviyoClientOptions): ResolvedOptions {
  if (!options || typeof options !== "object") throw new TypeError("Klaviyo client: options are required");
  const apiKey = checked("apiKey", checkApiKey(options.apiKey));
  const revision = checked("revision", checkRevision(options.revision ?? DEFAULT_REVISION));
  const baseUrl = checked("baseUrl", checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL));
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
    baseUrl,
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
