/**
 * Conversions between a batch's codes (plain strings and camelCase records on the Pulumi side) and
 * Klaviyo's coupon-code resources (snake_case, JSON:API): the only place in `batch/` where the two meet.
 */
import type { CouponCode, CouponCodeCreate } from "../client";

/** What Klaviyo says about one code. */
export interface LiveCode {
  status: string | null;
  expiresAt: string | null;
  profileId: string | null;
}

/**
 * The create request of one code of the batch.
 *
 * @param expiresAt - The batch's `expiresAt`; absent sends `null`, which lets Klaviyo default it.
 */
export function toCodeCreate(
  couponId: string,
  code: string,
  expiresAt: string | undefined | null,
): CouponCodeCreate {
  return { couponId, unique_code: code, expires_at: expiresAt ?? null };
}

/** The code and what Klaviyo says about it, or undefined for a listed item without a code. */
export function fromCouponCode(item: CouponCode): { code: string; live: LiveCode } | undefined {
  const code = item.attributes.unique_code;
  if (code === null || code === undefined) return undefined;
  return {
    code,
    live: {
      status: item.attributes.status ?? null,
      expiresAt: item.attributes.expires_at ?? null,
      profileId: item.relationships?.profile?.data?.id ?? null,
    },
  };
}
