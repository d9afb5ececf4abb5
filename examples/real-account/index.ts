/**
 * Real-account example: a trial coupon with a few generated codes, for a first run against a real
 * Klaviyo account (see README.md for the key, its scopes and the config commands).
 *
 * @packageDocumentation
 */
import * as klaviyo from "pulumi-klaviyo-coupons";

const coupon = new klaviyo.Coupon("trial", {
  // Pick an id no coupon in the account uses yet; set `adopt: true` to take over an existing one instead.
  externalId: "PULUMI-TRIAL",
  description: "Created by the pulumi-klaviyo-coupons real-account example; safe to delete",
});

const codes = new klaviyo.CouponCodeBatch("trial-codes", {
  couponId: coupon.couponId,
  generate: { count: 10, length: 10, prefix: "TRIAL-" },
  // `pulumi destroy` then deletes only codes no customer holds; held codes stay in Klaviyo.
  deletePolicy: "delete-unassigned",
});

/** Klaviyo's id of the coupon (find it under Coupons in Klaviyo). */
export const couponId = coupon.couponId;
/** How many codes exist in Klaviyo. */
export const codeCount = codes.codeCount;
/** HMAC-SHA256 over the sorted codes, keyed with the API key. */
export const fingerprint = codes.fingerprint;
/** Codes per Klaviyo status. */
export const statusCounts = codes.statusCounts;
