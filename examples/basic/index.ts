/**
 * Basic example: one Klaviyo coupon and a pool of codes written out in the program.
 *
 * This is the program `npm start` runs (the repository's root `Pulumi.yaml` points at this file).
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import * as klaviyo from "pulumi-klaviyo-coupons";

const config = new pulumi.Config();

/** The coupon: the discount definition that codes belong to. Its id is `externalId`. */
const coupon = new klaviyo.Coupon("spring", {
  externalId: "SPRING10",
  // Configurable so that a description change can be tried without editing the program.
  description: config.get("couponDescription") ?? "10% off the spring collection",
  // Klaviyo warns when fewer unassigned codes than this remain.
  lowBalanceThreshold: 3,
});

/** The codes, uploaded with Klaviyo's bulk jobs. They are stored as a secret in the Pulumi state. */
const codes = new klaviyo.CouponCodeBatch("spring-codes", {
  // Using the coupon's output makes Pulumi create the coupon first and destroy it last.
  couponId: coupon.couponId,
  codes: [
    "SPRING-7KQ2M9",
    "SPRING-H4X8TD",
    "SPRING-P3N6WZ",
    "SPRING-R9C2VB",
    "SPRING-Y5F7LK",
    "SPRING-M8J3QS",
    "SPRING-D2T9XE",
    "SPRING-W6G4HN",
  ],
});

/** Klaviyo's id of the coupon. */
export const couponId = coupon.couponId;
/** How many codes the batch holds. */
export const codeCount = codes.codeCount;
/** HMAC-SHA256 over the sorted codes, keyed with the API key: shows that the pool changed without revealing it. */
export const fingerprint = codes.fingerprint;
/** Codes per Klaviyo status at the last `pulumi up` or `pulumi refresh`. */
export const statusCounts = codes.statusCounts;
