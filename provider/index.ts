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
