/**
 * `codeChanges`: what a batch's declaration changes against the one applied before it, in numbers a
 * reviewer can read in `pulumi preview --diff` and `klaviyo-coupons review` can summarise, with no code
 * in it. `check` computes it from the old and new inputs (the only handler whose result the preview
 * shows); `diff` ignores it, so it never causes an update by itself.
 */
import { codeTag, fingerprint, inPackingOrder } from "./codes";
import { isRecord } from "../inputs";
import { readStrings } from "../packedStrings";
import { containsUnknown, own, UNKNOWN } from "../values";

/** The input `check` adds: computed, never set by a program. */
export const CODE_CHANGES_KEY = "codeChanges";

/** Removed codes are tagged (for `review --live`) only up to this many: the tags sit in the preview. */
export const MAX_REMOVED_TAGS = 1_000;

/** Length (hex characters) of one removed code's tag. */
export const TAG_LENGTH = 10;

/**
 * The change a batch's new inputs make to the codes declared by the inputs applied last (`null`: cannot
 * tell, e.g. unreadable old state). Counts compare declarations, not Klaviyo: codes a profile holds are
 * still counted as removed (the delete policy decides what happens to them).
 */
export interface CodeChanges {
  /** Codes the declaration gains. */
  added: number | null;
  /** Codes the declaration lets go; `deletePolicy` says what happens to them in Klaviyo. */
  removed: number | null;
  /** Codes declared after the change. */
  codeCount: number;
  /**
   * The keyed fingerprint of the declared codes, comparable with the `fingerprint` output; null for
   * generated codes (drawn only when applied) and when no API key is configured.
   */
  fingerprint: string | null;
  /**
   * The removed listed codes as short keyed tags (10 hex characters each, concatenated), so that
   * `klaviyo-coupons review --live` can count the held ones; null when there are none, more than 1,000,
   * the codes are generated, or no API key is configured. A tag cannot be turned back into a code.
   */
  removedTags: string | null;
}

/** A declaration as `check` sees it: listed codes, a generated count, or nothing readable. */
type Declared = { codes: readonly string[] } | { count: number; keepsStock?: boolean } | null;

/**
 * The `codeChanges` of new batch inputs. Unknown while the new codes or their generation are unknown
 * (a preview before the values they come from exist).
 *
 * @param olds - The inputs applied last, as `check` receives them (`{}` on create).
 * @param news - The checked new inputs (codes packed).
 * @param codes - The new listed codes, unpacked, when they are listed and known.
 * @param secret - The account's API key, which keys fingerprint and tags; null when not configured.
 */
export function codeChangesOf(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  codes: readonly string[] | undefined,
  secret: string | null,
): CodeChanges | typeof UNKNOWN {
  const generate = own(news, "generate");
  const count = isRecord(generate) ? own(generate, "count") : undefined;
  if (codes === undefined && typeof count !== "number") return UNKNOWN;
  if (containsUnknown(generate)) return UNKNOWN;
  const keepsStock = isRecord(generate) && typeof own(generate, "keepUnassigned") === "number";
  const now: Exclude<Declared, null> =
    codes !== undefined ? { codes } : { count: count as number, keepsStock };
  // Another coupon (a replacement) starts from nothing: the old batch's codes go with its deletion.
  const sameCoupon = own(olds, "couponId") === own(news, "couponId");
  const before = sameCoupon ? declaredBy(olds) : { codes: [] };
  const { added, removed, removedCodes } = compare(before, now);
  const listed = "codes" in now;
  return {
    added,
    removed,
    codeCount: listed ? now.codes.length : now.count,
    fingerprint: listed && secret !== null ? fingerprint(now.codes, secret) : null,
    removedTags: tagsOf(removedCodes, secret),
  };
}

function declaredBy(olds: Record<string, unknown>): Declared {
  if (own(olds, "couponId") === undefined) return { codes: [] };
  const generate = own(olds, "generate");
  const count = isRecord(generate) ? own(generate, "count") : undefined;
  if (typeof count === "number") return { count };
  try {
    const codes = readStrings(own(olds, "codes"));
    return codes === undefined ? null : { codes };
  } catch {
    return null;
  }
}

function compare(
  before: Declared,
  now: Exclude<Declared, null>,
): { added: number | null; removed: number | null; removedCodes?: string[] } {
  if (before === null) return { added: null, removed: null };
  if ("codes" in before && "codes" in now) return sortedDifference(before.codes, now.codes);
  // Generated codes grow from the ones held (listed ones too) and shrink newest first; with a stock
  // target they never shrink (what the target adds is decided from the last refresh, see stock.ts).
  const oldCount = "codes" in before ? before.codes.length : before.count;
  if ("count" in now) {
    const removed = now.keepsStock ? 0 : Math.max(0, oldCount - now.count);
    return { added: Math.max(0, now.count - oldCount), removed };
  }
  // Generated codes replaced by listed ones: only a code listed by chance would stay.
  return { added: now.codes.length, removed: oldCount };
}

/**
 * Codes added and removed between two lists, walking both in code-unit order: no set of 500,000 codes
 * (check runs on every preview). Lists stored since 0.2 are sorted already and are not copied.
 */
function sortedDifference(
  beforeCodes: readonly string[],
  nowCodes: readonly string[],
): { added: number; removed: number; removedCodes: string[] } {
  const old = inPackingOrder(beforeCodes);
  const next = inPackingOrder(nowCodes);
  const removedCodes: string[] = [];
  let added = 0;
  let i = 0;
  let j = 0;
  while (i < old.length || j < next.length) {
    if (j >= next.length || (i < old.length && old[i] < next[j])) {
      removedCodes.push(old[i++]);
    } else if (i >= old.length || next[j] < old[i]) {
      added++;
      j++;
    } else {
      i++;
      j++;
    }
  }
  return { added, removed: removedCodes.length, removedCodes };
}

function tagsOf(removed: readonly string[] | undefined, secret: string | null): string | null {
  if (!removed || removed.length === 0 || removed.length > MAX_REMOVED_TAGS || secret === null) return null;
  return removed.map((code) => codeTag(code, secret, TAG_LENGTH)).join("");
}

const POLICY_EFFECT: Record<string, string> = {
  "delete-unassigned": "deleted, except codes a profile holds, which stay in Klaviyo",
  retain: "left in Klaviyo",
  "fail-if-assigned": "deleted, unless a profile holds any: then the replacement fails, deleting nothing",
};

/**
 * The line a replacement of the batch prints (preview and up): where its codes go and what happens to
 * the old coupon's codes, from the stored outputs (`olds` of `diff`). Never names a code.
 */
export function replacementLine(olds: Record<string, unknown>, news: Record<string, unknown>): string {
  const oldCoupon = String(own(olds, "couponId"));
  const next = own(news, "couponId");
  const target = typeof next === "string" && next !== UNKNOWN ? `coupon ${next}` : "the new coupon";
  const count = own(olds, "codeCount");
  const counts = own(olds, "statusCounts");
  const held = isRecord(counts)
    ? ["ASSIGNED_TO_PROFILE", "USED"].reduce((sum, s) => sum + (Number(own(counts, s)) || 0), 0)
    : 0;
  const policy = String(own(olds, "deletePolicy") ?? "delete-unassigned");
  const effect = POLICY_EFFECT[policy] ?? `handled under deletePolicy ${policy}`;
  return (
    `[klaviyo] coupon ${oldCoupon}: couponId changes, so the batch is replaced: its codes are created on ` +
    `${target}, then the ${typeof count === "number" ? count : "stored"} codes on coupon ${oldCoupon} are ` +
    `${effect} (deletePolicy ${policy}; ${held} held by profiles at the last apply or refresh)`
  );
}
