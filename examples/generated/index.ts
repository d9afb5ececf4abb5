/**
 * Generated example: the provider derives the codes with HMAC-SHA256 keyed by the account's API key (so
 * nobody without the key can predict them, and every run derives the same ones), keeps them in the
 * (encrypted) state, and uploads them. Raising `count` adds codes; lowering it removes the newest.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import * as klaviyo from "pulumi-klaviyo-coupons";

const config = new pulumi.Config();
/** How many codes to keep in the pool (`pulumi config set count 2500`). */
const count = config.getNumber("count") ?? 1000;
/** Optional expiry of every code, ISO 8601 in the future (`pulumi config set expiresAt 2030-12-31T23:59:59Z`). */
const expiresAt = config.get("expiresAt");

const coupon = new klaviyo.Coupon("welcome", {
  externalId: "WELCOME15",
  description: "15% off a first order",
  lowBalanceThreshold: Math.ceil(count / 10),
});

const pool = new klaviyo.CouponCodeBatch("welcome-codes", {
  couponId: coupon.couponId,
  // 8 random characters from the default alphabet (no 0/O/1/I/L) after the prefix, e.g. WEL-7KQ2M9HX.
  generate: { count, length: 8, prefix: "WEL-" },
  expiresAt,
});

/** Klaviyo's id of the coupon. */
export const couponId = coupon.couponId;
/** HMAC-SHA256 over the sorted codes, keyed with the API key: a reviewer sees that the pool changed without seeing a code. */
export const fingerprint = pool.fingerprint;
/** How many codes exist in Klaviyo. */
export const codeCount = pool.codeCount;
/** Codes per Klaviyo status (UNASSIGNED, ASSIGNED_TO_PROFILE, USED, ...). */
export const statusCounts = pool.statusCounts;
/** Codes Klaviyo refused (0 when all went in). */
export const failedCount = pool.failedCount;
/** Earliest and latest expiry among the codes. */
export const expiryRange = pool.expiryRange;
