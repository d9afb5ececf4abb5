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

// Distinct (status, expiry, profile) combinations one reader shares objects for. A pool's codes share a
// handful (one expiry per job or per batch, a few statuses); past this many they are not shared.
const SHARED_READS_MAX = 10_000;

/**
 * A {@link fromCouponCode} for one listing or upload that shares one read-only `LiveCode` among codes
 * Klaviyo describes alike. At 500,000 codes a separate object (and expiry string) per code held about
 * 80 MB of the provider host's memory; shared, the map holds little more than its entries.
 */
export function codeReader(): (item: CouponCode) => { code: string; live: LiveCode } | undefined {
  const shared: Record<string, LiveCode> = Object.create(null);
  let count = 0;
  return (item) => {
    const read = fromCouponCode(item);
    if (!read) return undefined;
    const { status, expiresAt, profileId } = read.live;
    const key = `${status}\u0000${expiresAt}\u0000${profileId}`;
    const known = shared[key];
    if (known) return { code: read.code, live: known };
    if (count < SHARED_READS_MAX) {
      shared[key] = read.live;
      count++;
    }
    return read;
  };
}
