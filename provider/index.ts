/**
 * pulumi-klaviyo-coupons: Pulumi dynamic resources for Klaviyo coupons and coupon code pools.
 *
 * @packageDocumentation
 */
export {};
