/**
 * pulumi-klaviyo-coupons: Pulumi dynamic resources for Klaviyo coupons and coupon code pools.
 *
 * @packageDocumentation
 */
export { Coupon, couponProvider, type CouponArgs } from "./coupon";
export {
  CouponCodeBatch,
  couponCodeBatchProvider,
  type CouponCodeBatchArgs,
  type GenerateArgs,
} from "./couponCodeBatch";
export * from "./client";
export {
  getCouponCodeAvailability,
  countCouponCodes,
  listMatchingCouponCodes,
  lowStockMessage,
  resolveAvailabilityClient,
  type AvailabilityCode,
  type AvailabilityStatus,
  type CouponCodeAvailability,
  type ListingControls,
  type ListingProgress,
} from "./availability";
export {
  availabilityFilter,
  normalizeAvailabilityQuery,
  COUPON_CODE_STATUSES,
  type AvailabilityInstant,
  type AvailabilityQuery,
  type NormalizedAvailabilityQuery,
} from "./availabilityQuery";
export { couponCodeAvailability, type CouponCodeAvailabilityArgs } from "./availabilityOutput";
