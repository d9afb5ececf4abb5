/**
 * Removing codes from Klaviyo under a batch's delete policy, and patching expiry dates.
 *
 * Calls: DELETE /api/coupon-codes/{id} and PATCH /api/coupon-codes/{id} (tier XL), plus one
 * listing (GET /api/coupon-codes) for `fail-if-assigned`.
 */
import { isKlaviyoError, type KlaviyoClient } from "../client";
import { codeId } from "./codes";
import { isHeld, listCouponCodes } from "./listing";
import { forEachLimit } from "../concurrency";
import type { Progress } from "./progress";

/** How removed codes are treated. */
import type { DeletePolicy } from "./inputs";

/** What happened to the codes asked to be removed. */
export interface RemovalReport {
  deleted: string[];
  /** Codes left in Klaviyo: held by a profile, or kept by the `retain` policy. */
  retained: string[];
  /** Codes that failed to delete, with the reason. */
  errors: Map<string, string>;
}

// Per-code calls are paced by the client's limiter; this caps memory and sockets.
const PER_CODE_CONCURRENCY = 16;

/**
 * Refuses, before anything changes in Klaviyo, a removal that `fail-if-assigned` forbids: call it
 * before any other change of the same apply, so a refusal leaves Klaviyo exactly as it was.
 */
export async function assertRemovable(
  client: KlaviyoClient,
  couponId: string,
  codes: readonly string[],
  policy: DeletePolicy,
): Promise<void> {
  if (policy !== "fail-if-assigned" || codes.length === 0) return;
  const live = await listCouponCodes(client, couponId);
  const held = codes.filter((c) => {
    const info = live.get(c);
    return info !== undefined && isHeld(info);
  });
  if (held.length > 0) {
    throw new Error(
      `${held.length} of the ${codes.length} codes to delete from coupon "${couponId}" are held by profiles ` +
        `(assigned or used); deletePolicy "fail-if-assigned" changed nothing. Use "delete-unassigned" to ` +
        `delete the others and keep these, or "retain" to delete none.`,
    );
  }
}

/**
 * Removes `codes` from the coupon according to `policy` (held codes are retained). Call
 * {@link assertRemovable} first.
 */
export async function removeCodes(
  client: KlaviyoClient,
  couponId: string,
  codes: readonly string[],
  policy: DeletePolicy,
  progress: Progress,
): Promise<RemovalReport> {
  const report: RemovalReport = { deleted: [], retained: [], errors: new Map() };
  if (codes.length === 0) return report;
  if (policy === "retain") {
    report.retained.push(...codes);
    return report;
  }
  let processed = 0;
  await forEachLimit(codes, PER_CODE_CONCURRENCY, async (code) => {
    try {
      await client.deleteCouponCode(codeId(couponId, code));
      report.deleted.push(code);
    } catch (err) {
      if (isKlaviyoError(err) && err.status === 404) report.deleted.push(code);
      else if (isKlaviyoError(err) && err.status === 409) report.retained.push(code);
      else report.errors.set(code, err instanceof Error ? err.message : String(err));
    }
    progress.update(`${++processed}/${codes.length} codes removed or retained`);
  });
  progress.update(
    `${report.deleted.length} codes deleted, ${report.retained.length} retained (held by profiles)` +
      (report.errors.size ? `, ${report.errors.size} failed` : ""),
    true,
  );
  return report;
}

/** Sets `expires_at` on each code; returns codes that failed with reasons. */
export async function patchExpiry(
  client: KlaviyoClient,
  couponId: string,
  codes: readonly string[],
  expiresAt: string | null,
  progress: Progress,
): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  if (codes.length === 0) return errors; // no "0/0 code expiries updated" line
  let processed = 0;
  await forEachLimit(codes, PER_CODE_CONCURRENCY, async (code) => {
    try {
      await client.updateCouponCode(codeId(couponId, code), { expires_at: expiresAt });
    } catch (err) {
      errors.set(code, err instanceof Error ? err.message : String(err));
    }
    progress.update(`${++processed}/${codes.length} code expiries updated`);
  });
  progress.update(`${codes.length - errors.size}/${codes.length} code expiries updated`, true);
  return errors;
}
