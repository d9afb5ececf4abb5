/**
 * Shapes of the client's own calls that are not Klaviyo documents: a page of a listing, a code to
 * create, what `onRequest` reports and the retry settings. Plain TypeScript, like `wireTypes.ts`, because the public API exposes them.
 *
 * @packageDocumentation
 */

/** One page of a listing. */
export interface Page<T, I = unknown> {
  /** Items on this page. */
  data: T[];
  /** Related resources the server included (e.g. coupons when `include: "coupon"`). */
  included?: I[];
  /** Continuation token (the next link's `page[cursor]`), or null on the last page. */
  nextCursor: string | null;
}

/** A coupon code to create, singly or in a bulk job. */
export interface CouponCodeCreate {
  /** Id of the coupon the code belongs to. */
  couponId: string;
  /** The code a shopper types. */
  unique_code: string;
  /** Expiry (ISO 8601); omitted or null lets Klaviyo default it to one year. */
  expires_at?: string | null;
}

/** Details passed to `onRequest` after every attempt. */
export interface RequestInfo {
  /** Klaviyo operationId (snake_case). */
  operationId: string;
  /** HTTP method. */
  method: string;
  /** Path relative to the base URL, without query string. */
  path: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** 1-based attempt number within this call. */
  attempt: number;
  /** Time the attempt took on the wire (rate-limiter waits excluded). */
  durationMs: number;
}

/** Resolved retry settings. */
export interface RetrySettings {
  /** Attempts allowed for 5xx and network failures (429s are counted separately). */
  maxAttempts: number;
  /** Base of the exponential backoff. */
  baseDelayMs: number;
  /** Cap of a single backoff delay. */
  maxDelayMs: number;
  /** 429 responses tolerated per call before giving up. */
  maxRateLimitRetries: number;
  /** Longest single wait before a retry; a larger `Retry-After` fails the request at once. */
  maxWaitMs: number;
  /** Longest total of one request's retry waits; a wait that would pass it fails the request. */
  maxTotalWaitMs: number;
}
