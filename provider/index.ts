/**
 * pulumi-klaviyo-coupons: Pulumi dynamic resources for Klaviyo coupons and coupon code pools.
 *
 * @packageDocumentation
 */
export { Coupon, couponProvider, type CouponArgs } from "./coupon/resource";
export {
  addedCodes,
  CouponCodeBatch,
  couponCodeBatchProvider,
  type CouponCodeBatchArgs,
  type GenerateArgs,
} from "./batch/resource";
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
} from "./availability/counting";
export {
  availabilityFilter,
  normalizeAvailabilityQuery,
  COUPON_CODE_STATUSES,
  type AvailabilityInstant,
  type AvailabilityQuery,
  type NormalizedAvailabilityQuery,
} from "./availability/query";
export { couponCodeAvailability, type CouponCodeAvailabilityArgs } from "./availability/output";
export {
  readCouponCodes,
  writeCouponCodes,
  type CouponCodesFormat,
  type ReadCouponCodesOptions,
  type WriteCouponCodesOptions,
} from "./csv/couponCsv";
