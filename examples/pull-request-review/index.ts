/**
 * Pull-request review example: a pool of generated codes whose changes `coupons-review.yml` (a GitHub
 * Actions workflow) previews and summarises on every pull request with `klaviyo-coupons review`.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import * as klaviyo from "pulumi-klaviyo-coupons";

const config = new pulumi.Config();

/** The coupon; the review compares each pool's unassigned stock after the change with this threshold. */
const coupon = new klaviyo.Coupon("welcome", {
  externalId: "WELCOME15",
  description: "15% off a first order",
  lowBalanceThreshold: 20,
});

/**
 * 50 generated codes (raise `poolSize` in a pull request and the review says how many are added).
 * `fail-if-assigned`: removing codes a customer holds fails, and the review flags it beforehand.
 */
const codes = new klaviyo.CouponCodeBatch("welcome-codes", {
  couponId: coupon.couponId,
  generate: { count: config.getNumber("poolSize") ?? 50, length: 10, prefix: "WELCOME-" },
  deletePolicy: "fail-if-assigned",
});

/** Klaviyo's id of the coupon. */
export const couponId = coupon.couponId;
/** How many codes the batch holds. */
export const codeCount = codes.codeCount;
/** Codes per Klaviyo status at the last `pulumi up` or `pulumi refresh`. */
export const statusCounts = codes.statusCounts;
