/** Public types of the Klaviyo Coupons API emulator (options, control API, running handle). */

/** What `DELETE /api/coupons/{id}` does with the coupon's codes. */
export type CouponDeleteMode = "cascade" | "refuse-with-codes";

/** Rate limiting settings. Limits are the spec's per-endpoint burst/steady figures times `scale`. */
export interface RateLimitSettings {
  enabled: boolean;
  /** Multiplies every limit (each limit is at least 1 after scaling). */
  scale: number;
}

/** Latency model of bulk-create jobs. */
export interface JobLatencySettings {
  /** Minimum time a job spends `queued` before it may start processing. */
  queuedMs: number;
  /** Fixed processing time of a job. */
  processingMsPerJob: number;
  /** Additional processing time per coupon code in the job. */
  processingMsPerCode: number;
  /** Jobs processed in parallel; the others stay `queued` until a slot frees up. */
  concurrency: number;
}

/** Account limits. The defaults are the documented ones; tests may lower them. */
export interface LimitSettings {
  /** Coupons allowed in the account at once (guide: 500). */
  maxCoupons: number;
  /** Codes allowed in one bulk-create job (spec: 1000). */
  maxCodesPerJob: number;
  /** Jobs allowed to be queued or processing at once (spec: 100). */
  maxActiveJobs: number;
}

/** What the `onResponse` hook receives for every API response (not for control requests). */
export interface ResponseInfo {
  /** The spec's operationId, or `"unknown"` when no route matched. */
  operationId: string;
  status: number;
  /** The parsed JSON body, or `undefined` for bodiless responses (204). */
  body: unknown;
  method: string;
  /** The request path without the query string. */
  path: string;
  /** The raw query string without the leading '?' (empty when there was none). */
  query: string;
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Accepted private API keys; default `[DEFAULT_TEST_API_KEY]`. */
  apiKeys?: string[];
  rateLimits?: Partial<RateLimitSettings>;
  jobs?: Partial<JobLatencySettings>;
  /** Default `"cascade"`. */
  couponDelete?: CouponDeleteMode;
  limits?: Partial<LimitSettings>;
  /** Called after every API response is produced (also for faults; not for dropped requests). */
  onResponse?: (info: ResponseInfo) => void;
  /** Wall clock in epoch milliseconds, for timestamps and rate-limit windows; default `Date.now`. */
  clock?: () => number;
  /** How many entries the request log keeps; default 10,000. */
  requestLogSize?: number;
}

/** Settings that can be changed while the emulator runs. */
export interface EmulatorConfigPatch {
  rateLimits?: Partial<RateLimitSettings>;
  jobs?: Partial<JobLatencySettings>;
  couponDelete?: CouponDeleteMode;
  limits?: Partial<LimitSettings>;
}

/** The effective run-time settings. */
export interface EmulatorSettings {
  rateLimits: RateLimitSettings;
  jobs: JobLatencySettings;
  couponDelete: CouponDeleteMode;
  limits: LimitSettings;
}

/** A coupon as created through Klaviyo's UI (see the guide's expiration rules). */
export interface UiCouponSeed {
  externalId: string;
  description?: string | null;
  /** RFC 3339 date-time, or null/absent for a coupon without expiration. */
  expiresAt?: string | null;
}

/** An injected fault, applied to the next `count` API requests that match. */
export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Prefix of the request path without the query string, e.g. `/api/coupon-code-bulk-create-jobs`. */
  path: string;
  /** How many matching requests this fault affects; default 1. */
  count?: number;
  /** Answer with this status (and a JSON:API error body) instead of processing the request. */
  status?: number;
  /** `Retry-After` seconds sent with `status`. */
  retryAfter?: number;
  /** Destroy the socket without any response, before processing. */
  drop?: boolean;
  /** Process the request (state changes), then destroy the socket instead of answering. */
  dropAfterProcessing?: boolean;
  /** Delay before the request is handled (combined with the other effects, or alone). */
  latencyMs?: number;
}

/** Forced outcome of the next submitted bulk-create jobs. */
export interface JobOutcomeSpec {
  /** How many upcoming jobs get this outcome; default 1. */
  jobs?: number;
  /** End the job `cancelled` after processing its first `cancelAfter` items. */
  cancel?: boolean;
  /** Items processed (created or failed) before a cancelled job stops; default 0 (nothing created). */
  cancelAfter?: number;
  /** Fraction (0..1) of items that fail, spread evenly over the job. */
  failFraction?: number;
  /** Unique codes whose items fail. */
  failCodes?: string[];
}

/** Object counts reported by the control API. */
export interface EmulatorCounts {
  coupons: number;
  codes: number;
  jobs: number;
  /** API requests received (control requests excluded) since start or the last reset. */
  requests: number;
}

/** One entry of the bounded request log. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Status sent, or that would have been sent; 0 when the socket was dropped before processing. */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  operationId: string;
  /** True when the client never received a response (a `drop` or `dropAfterProcessing` fault). */
  dropped?: boolean;
}

/** A snapshot of a coupon, as returned by {@link EmulatorControl.seedUiCoupon}. */
export interface CouponSnapshot {
  id: string;
  description: string | null;
  source: "api" | "ui";
  expiresAt: string | null;
}

/** In-process control of a running emulator; the same operations exist over HTTP under `/__emulator/`. */
export interface EmulatorControl {
  /** Clears all state, faults, forced job outcomes, the request log and counters (settings are kept). */
  reset(): void;
  /** Creates a coupon as if it had been made in Klaviyo's UI. */
  seedUiCoupon(seed: UiCouponSeed): CouponSnapshot;
  /** Assigns a code to a profile: status ASSIGNED_TO_PROFILE and a profile relationship. */
  assignCode(codeId: string, profileId: string): void;
  /** Marks a code USED. */
  markCodeUsed(codeId: string): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  setJobOutcome(outcome: JobOutcomeSpec): void;
  configure(patch: EmulatorConfigPatch): void;
  /** The effective settings. */
  settings(): EmulatorSettings;
  counts(): EmulatorCounts;
  /** The most recent API requests, oldest first. */
  requestLog(): RequestLogEntry[];
  resetRequestLog(): void;
  /** Resolves once no job is queued or processing (rejects after `timeoutMs`, default 30 s). */
  waitForJobs(timeoutMs?: number): Promise<void>;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  control: EmulatorControl;
  /** Stops the server, drops open connections and clears every timer. */
  close(): Promise<void>;
}
