/**
 * Stock-guard example: a coupon with a generated pool of codes, and a live count of its codes that
 * fails `pulumi preview` (and `pulumi up`) when fewer than `minUnassigned` codes are still unassigned,
 * so a campaign is not launched on a coupon about to run dry. Run `pulumi preview` in CI or on a
 * schedule to get the warning early.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import * as klaviyo from "pulumi-klaviyo-coupons";

const config = new pulumi.Config();
/** Codes in the pool (`pulumi config set poolSize 200`). */
const poolSize = config.getNumber("poolSize") ?? 50;
/** The guard's threshold (`pulumi config set minUnassigned 40`). */
const minUnassigned = config.getNumber("minUnassigned") ?? 20;

const coupon = new klaviyo.Coupon("restock", {
  externalId: "RESTOCK20",
  description: "20% off for returning customers",
  // Klaviyo's own low-balance alert, at the same level as the guard.
  lowBalanceThreshold: minUnassigned,
});

const pool = new klaviyo.CouponCodeBatch("restock-codes", {
  couponId: coupon.couponId,
  generate: { count: poolSize, length: 8, prefix: "RS-" },
});

/**
 * Counted from Klaviyo every time the program runs. The coupon id is taken from the batch, not from the
 * coupon, so that during `pulumi up` the count waits until the codes are uploaded; on the first preview
 * of a new stack the id is not known yet and the count is skipped.
 */
export const availability = klaviyo.couponCodeAvailability({
  couponId: pool.couponId,
  minUnassigned,
});

/** Klaviyo's id of the coupon. */
export const couponId = coupon.couponId;
/** Codes per Klaviyo status at the last `pulumi up` or `pulumi refresh`. */
export const statusCounts = pool.statusCounts;
