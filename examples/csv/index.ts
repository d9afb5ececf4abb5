/**
 * CSV example: the codes live in `codes.csv` next to this program (for instance exported from a
 * point-of-sale system, or a file prepared for Klaviyo's CSV upload), and the program uploads exactly
 * the codes in the file. Editing the file and running `pulumi up` adds the new codes and deletes the removed ones
 * (unless a customer holds them).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import * as klaviyo from "pulumi-klaviyo-coupons";

// Relative to this file, not to the working directory, so the program runs from any folder.
const csvFile = path.join(__dirname, "codes.csv");
// The default format, "auto", finds the `code` column of codes.csv; it also reads Klaviyo's import
// format (`Coupon Code`), `klaviyo-coupons codes --csv` exports and one code per line. A malformed file
// fails here with its line number, before anything is sent to Klaviyo, and without printing a code.
const codes = klaviyo.readCouponCodes(fs.readFileSync(csvFile, "utf8"));

const coupon = new klaviyo.Coupon("summer", {
  externalId: "SUMMER15",
  description: "15% off summer items (codes from codes.csv)",
});

const batch = new klaviyo.CouponCodeBatch("summer-codes", {
  couponId: coupon.couponId,
  codes,
  expiresAt: "2030-09-30T23:59:59Z",
  // Codes a customer already holds stay in Klaviyo when they leave the file (the default policy).
  deletePolicy: "delete-unassigned",
});

/** Klaviyo's id of the coupon. */
export const couponId = coupon.couponId;
/** How many codes were read from the file. */
export const codesInFile = codes.length;
/** How many of them exist in Klaviyo. */
export const codeCount = batch.codeCount;
/** Changes whenever the set of codes in the file changes. */
export const fingerprint = batch.fingerprint;
/** Codes per Klaviyo status. */
export const statusCounts = batch.statusCounts;
/** Codes Klaviyo refused, with its reasons (empty when all went in). */
export const failedCodes = batch.failedCodes;
