/**
 * Klaviyo Coupons API client: HTTP, JSON:API, retries and rate limits. Knows nothing about Pulumi.
 *
 * @packageDocumentation
 */
export { createKlaviyoClient, MAX_CODES_PER_BULK_JOB, type KlaviyoClient } from "./klaviyoClient";
export { DEFAULT_BASE_URL, DEFAULT_REVISION, DEFAULT_USER_AGENT, type KlaviyoClientOptions } from "./options";
export {
  klaviyoError,
  isKlaviyoError,
  titleAndDetail,
  type KlaviyoError,
  type KlaviyoErrorEntry,
  type KlaviyoErrorFields,
} from "./errors";
export { filter, quoteFilterString, type FilterDate, type FilterValue } from "./filter";
export {
  OPERATIONS,
  TIER_LIMITS,
  type Operation,
  type OperationName,
  type RateLimitTier,
} from "./operations";
export { defaultOnWait, LONG_WAIT_MS, type WaitInfo, type WaitReason } from "./waits";
export { MAX_TIMER_MS } from "./retryPolicy";
export type {
  BulkCreateJob,
  Coupon,
  CouponCode,
  CouponCodeStatus,
  CouponCodeIdentifier,
  CouponIdentifier,
  JobError,
} from "./wireTypes";
export type { CouponCodeCreate, Page, RequestInfo, RetrySettings } from "./clientTypes";
