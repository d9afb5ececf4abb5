/**
 * What only Klaviyo knows, for `klaviyo-coupons review --live`: each affected coupon's codes listed
 * once, counted (total, unassigned, held), and matched against the keyed tags of the codes a change
 * removes. No code leaves this module: only counts and tags do.
 *
 * @packageDocumentation
 */
import { listMatchingCouponCodes } from "../../provider/availability/counting";
import { normalizeAvailabilityQuery } from "../../provider/availability/query";
import { TAG_LENGTH } from "../../provider/batch/codeChanges";
import { codeTag } from "../../provider/batch/codes";
import type { KlaviyoClient } from "../../provider/client";
import { thresholdOf } from "../../provider/coupon/mappers";

/** Statuses meaning a profile holds (or has used) the code, as the provider's delete policies read them. */
const HELD_STATUSES = new Set(["ASSIGNED_TO_PROFILE", "USED"]);

/** One coupon's codes as Klaviyo reports them now. */
export interface LiveCoupon {
  /** The coupon. */
  couponId: string;
  /** Codes on the coupon. */
  total: number;
  /** UNASSIGNED codes: the stock still available to send. */
  unassigned: number;
  /** Codes a profile holds: status ASSIGNED_TO_PROFILE or USED, or a profile relationship. */
  held: number;
  /** For each wanted tag found among the coupon's codes: whether that code is held. */
  tagged: Map<string, boolean>;
  /** The coupon's lowBalanceThreshold in Klaviyo (null: none), when it was asked for. */
  threshold?: number | null;
}

/** What to read about one coupon. */
export interface LiveRequest {
  /** Tags of removed codes to look for among its codes (possibly none). */
  tags: ReadonlySet<string>;
  /** Whether to read its lowBalanceThreshold (for a coupon the preview does not show). */
  threshold: boolean;
}

/** Progress of {@link readLiveCoupons}. */
export interface LiveProgress {
  /** Coupon being listed. */
  couponId: string;
  /** Its position (1-based) and the number of coupons to list. */
  index: number;
  of: number;
  /** Codes listed so far on this coupon. */
  codes: number;
}

/**
 * Splits a `removedTags` value into its tags.
 *
 * @param tags - Concatenated tags of {@link TAG_LENGTH} hex characters each.
 */
export function splitTags(tags: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + TAG_LENGTH <= tags.length; i += TAG_LENGTH) out.push(tags.slice(i, i + TAG_LENGTH));
  return out;
}

/**
 * Lists each coupon's codes once and counts them. Tags are computed only on coupons some of whose
 * removed codes are tagged, and with the key the CLI uses: tags from a stack configured with another
 * key match nothing, which the review reports rather than trusts.
 *
 * @param client - Klaviyo client.
 * @param wanted - Coupons to list, each with the tags to look for and whether to read its threshold
 *   (one GET /api/coupons/{id} more).
 * @param apiKey - The key the tags were made with (the account's private API key).
 * @param onProgress - Called after each page.
 * @throws The client's error when a listing fails (the caller exits 1).
 */
export async function readLiveCoupons(
  client: KlaviyoClient,
  wanted: ReadonlyMap<string, LiveRequest>,
  apiKey: string,
  onProgress: (p: LiveProgress) => void = () => undefined,
): Promise<Map<string, LiveCoupon>> {
  const result = new Map<string, LiveCoupon>();
  let index = 0;
  for (const [couponId, { tags, threshold }] of wanted) {
    index++;
    const live: LiveCoupon = { couponId, total: 0, unassigned: 0, held: 0, tagged: new Map() };
    if (threshold) live.threshold = thresholdOf(await client.getCoupon(couponId));
    // The code itself is requested only when a tag must be computed from it.
    const query = normalizeAvailabilityQuery({ couponId, includeCodes: tags.size > 0 });
    const pages = listMatchingCouponCodes(client, query, {
      onProgress: (p) => onProgress({ couponId, index, of: wanted.size, codes: p.codes }),
    });
    for await (const page of pages) {
      for (const item of page) {
        const status = item.attributes.status ?? null;
        const held =
          (status !== null && HELD_STATUSES.has(status)) || Boolean(item.relationships?.profile?.data?.id);
        live.total++;
        if (status === "UNASSIGNED") live.unassigned++;
        if (held) live.held++;
        const code = item.attributes.unique_code;
        if (tags.size > 0 && typeof code === "string") {
          const tag = codeTag(code, apiKey, TAG_LENGTH);
          if (tags.has(tag)) live.tagged.set(tag, held);
        }
      }
    }
    result.set(couponId, live);
  }
  return result;
}
