/**
 * The review of one `CouponCodeBatch` step: its row, what happens to the codes it removes under its
 * delete policy, and how many of those a profile holds (from Klaviyo with `--live`, else from the
 * state as of the last apply or refresh).
 *
 * @packageDocumentation
 */
import { splitTags, type LiveCoupon } from "./live";
import { change, code, KNOWN_AFTER_APPLY, NONE, num, text, type Finding, type ReviewRow } from "./markdown";
import { NOT_KNOWN, type BatchStep, type CouponStep, type Maybe } from "./previewTypes";

/** What the batch analysis reads besides the step. */
export interface ReviewContext {
  /** Coupon steps by URN, to name the coupon of an unknown `couponId`. */
  couponsByUrn: ReadonlyMap<string, CouponStep>;
  /** Coupons as Klaviyo reports them now (`--live`), else null. */
  live: ReadonlyMap<string, LiveCoupon> | null;
  /** Ids of the coupons the change deletes or replaces (Klaviyo deletes their codes). */
  goneCoupons: ReadonlySet<string>;
  /** Receives warnings. */
  findings: Finding[];
}

/** How many codes to be removed a profile holds. */
export interface HeldEstimate {
  /** The count, or its upper bound; null when nothing tells. */
  count: number | null;
  /** True when `count` is an upper bound. */
  upTo: boolean;
  /** Where it comes from: Klaviyo now, or the state. */
  source: "live" | "state";
  /** Why it is only an upper bound, when there is more to say. */
  caveat?: string;
  /** A warning for the review, when the tags matched nothing. */
  warning?: string;
}

/**
 * The coupon a batch's codes go to: its `couponId`, or when that is unknown, the new id of the
 * `Coupon` it comes from.
 */
export function newCouponOf(
  b: BatchStep,
  couponsByUrn: ReadonlyMap<string, CouponStep>,
): Maybe<string> | null {
  if (b.newCoupon !== NOT_KNOWN) return b.newCoupon;
  const coupon = b.couponUrn === null ? undefined : couponsByUrn.get(b.couponUrn);
  return coupon !== undefined && coupon.newId !== null ? coupon.newId : NOT_KNOWN;
}

/**
 * How many of the `removed` codes of a batch a profile holds. An update's removed listed codes are
 * matched exactly by tag with `--live`; otherwise the bound is the held codes of the batch (state) or
 * of its coupon (Klaviyo, which cannot tell one batch's codes from another's).
 *
 * @param b - The batch step.
 * @param removed - Codes removed (an update's `removed`, or every code on a delete or replacement).
 * @param live - Coupons as Klaviyo reports them now, or null (the state's counts are used).
 */
export function heldAmongRemoved(
  b: BatchStep,
  removed: number,
  live: ReadonlyMap<string, LiveCoupon> | null,
): HeldEstimate {
  const whole = b.action !== "update";
  const coupon = b.oldCoupon === null ? undefined : live?.get(b.oldCoupon);
  if (removed === 0) return { count: 0, upTo: false, source: coupon ? "live" : "state" };
  if (coupon === undefined) {
    if (b.held === null) return { count: null, upTo: false, source: "state" };
    const all = whole || (b.oldCount !== null && removed >= b.oldCount);
    return { count: Math.min(removed, b.held), upTo: !all && b.held > 0, source: "state" };
  }
  const tags = b.changes !== NOT_KNOWN && b.changes !== null ? b.changes.removedTags : null;
  let warning: string | undefined;
  if (!whole && typeof tags === "string") {
    const removedTags = splitTags(tags);
    const found = removedTags.filter((t) => coupon.tagged.has(t));
    if (found.length > 0) {
      return { count: found.filter((t) => coupon.tagged.get(t)).length, upTo: false, source: "live" };
    }
    warning =
      `${code(b.name)}: none of its ${removedTags.length} removed codes was found on coupon ` +
      `${code(coupon.couponId)}: they are gone already, or the stack uses another API key than this ` +
      "command (the count of held ones falls back to an upper bound).";
  }
  const count = Math.min(removed, coupon.held);
  const caveat = whole
    ? `counting every held code on coupon ${code(coupon.couponId)}, which other batches may share`
    : undefined;
  return { count, upTo: count > 0, source: "live", caveat, warning };
}

/**
 * "2 held by profiles", "up to 2 held by profiles (as of the last apply or refresh)", ...
 *
 * @param h - The estimate.
 */
export function heldPhrase(h: HeldEstimate): string {
  if (h.count === null) return "held codes unknown (no status counts in the state)";
  const when = h.source === "state" ? " as of the last apply or refresh" : "";
  const caveat = h.caveat ? `, ${h.caveat}` : "";
  return `${h.upTo ? "up to " : ""}${h.count} held by profiles${when}${caveat}`;
}

const VERB: Record<string, string> = { update: "update", replace: "replacement", delete: "delete" };

/**
 * The note on removed codes under a delete policy, and the dangerous finding for held codes under
 * `fail-if-assigned`.
 *
 * @param subject - What is removed, e.g. "the 3 removed codes are".
 */
function removalNote(
  b: BatchStep,
  removed: number,
  policy: string,
  subject: string,
  ctx: ReviewContext,
): string {
  const held = heldAmongRemoved(b, removed, ctx.live);
  if (held.warning) ctx.findings.push({ dangerous: false, text: held.warning });
  // Codes left behind go anyway when the coupon itself is deleted in the same change.
  const left =
    b.oldCoupon !== null && ctx.goneCoupons.has(b.oldCoupon) ? "until the coupon's deletion" : "in Klaviyo";
  const effect: Record<string, string> = {
    "delete-unassigned": `deleted except held ones, which stay ${left}`,
    retain: `left ${left}`,
    "fail-if-assigned": `deleted, unless a profile holds one: then the ${VERB[b.action]} fails and deletes nothing`,
  };
  if (policy === "fail-if-assigned" && held.count !== null && held.count > 0) {
    ctx.findings.push({
      dangerous: true,
      text:
        `${code(b.name)}: the codes it removes include ${heldPhrase(held)}; its deletePolicy is ` +
        `\`fail-if-assigned\`: the ${VERB[b.action]} would fail, changing nothing, until they are released or the policy changes.`,
    });
  }
  return `${subject} ${effect[policy] ?? "handled by its policy"} (${policy}; ${heldPhrase(held)})`;
}

/** The notes of a replacement or delete: where the codes go, and what happens to the old ones. */
function wholeRemovalNote(b: BatchStep, target: Maybe<string> | null, ctx: ReviewContext): string {
  const old = b.oldCoupon === null ? "" : ` on coupon ${code(b.oldCoupon)}`;
  const codes = `the ${b.oldCount === null ? "stored" : b.oldCount} codes${old}`;
  const policy = b.oldPolicy ?? "delete-unassigned";
  const count = b.oldCount ?? 0;
  if (b.action === "delete") return removalNote(b, count, policy, `${codes} are`, ctx);
  const onto = target === null ? NONE : text(target);
  // A coupon replaced or deleted in the same change deletes its batches first (delete-before-replace).
  if (b.oldCoupon !== null && ctx.goneCoupons.has(b.oldCoupon)) {
    return (
      removalNote(b, count, policy, `replaced with its coupon: first ${codes} are`, ctx) +
      `; then its codes are created on ${onto}`
    );
  }
  return removalNote(b, count, policy, `replaced: its codes are created on ${onto}, then ${codes} are`, ctx);
}

/**
 * What replenishment and pruning make an update do, by the provider's rule (provider/batch/stock.ts):
 * pruned codes leave, then generated codes are drawn up to `count`, or with `keepUnassigned` up to the
 * larger of `count` and the codes kept plus what they are short of the target (never trimming).
 */
function stockNotes(b: BatchStep, row: ReviewRow): void {
  const { replenish, keepUnassigned, available, prune } = b.stock;
  const count = typeof b.generated.new === "number" ? b.generated.new : null;
  const acts = replenish > 0 || prune > 0 || keepUnassigned !== null;
  if (!acts || b.oldCount === null || count === null) return;
  const kept = b.oldCount - prune;
  const after = keepUnassigned === null ? count : Math.max(count, kept + replenish);
  row.added = String(Math.max(0, after - kept));
  row.removed = String(prune + Math.max(0, kept - after));
  row.after = String(after);
  if (replenish > 0) {
    row.notes.push(
      `codes generated to reach keepUnassigned ${keepUnassigned} ` +
        `(${available} unassigned at the last apply or refresh)`,
    );
  }
  if (prune > 0) {
    row.notes.push(
      `${prune} expired codes no profile holds are pruned (pruneExpired; at the last apply or refresh)`,
    );
  }
}

function generatedNote(b: BatchStep): string | null {
  const { old, new: next } = b.generated;
  if (typeof next !== "number") return null;
  if (old === null || b.action !== "update") return `generates ${next} codes`;
  if (old === next) return null;
  return `generated codes ${old} → ${next}${next < old ? " (the newest are removed first)" : ""}`;
}

function unknownCodes(b: BatchStep, ctx: ReviewContext): void {
  ctx.findings.push({
    dangerous: false,
    text:
      `${code(b.name)}: its codes are not known until apply (they come from another resource's output), ` +
      "so the codes it adds and removes cannot be counted.",
  });
}

function baseRow(b: BatchStep, target: Maybe<string> | null): ReviewRow {
  const changes = b.changes;
  const known = changes !== NOT_KNOWN && changes !== null ? changes : null;
  const coupon =
    b.action === "replace"
      ? change(b.oldCoupon ?? undefined, target ?? undefined, text)
      : text(b.oldCoupon ?? target);
  const unknown = changes === NOT_KNOWN;
  return {
    resource: `CouponCodeBatch ${code(b.name)}`,
    coupon,
    action: b.action,
    added: unknown ? KNOWN_AFTER_APPLY : num(known?.added ?? null),
    removed: unknown ? KNOWN_AFTER_APPLY : num(known?.removed ?? null),
    after: unknown ? KNOWN_AFTER_APPLY : num(known?.codeCount ?? b.generated.new),
    expiry: change(b.oldExpiry, b.newExpiry, text),
    policy: change(b.oldPolicy ?? undefined, b.newPolicy ?? undefined, text),
    notes: [],
  };
}

/**
 * The row of a batch step (`same` steps have none: the caller skips them).
 *
 * @param b - The step.
 * @param ctx - Live data, coupons, warnings.
 */
export function batchRow(b: BatchStep, ctx: ReviewContext): ReviewRow {
  const target = newCouponOf(b, ctx.couponsByUrn);
  const row = baseRow(b, target);
  const known = b.changes !== NOT_KNOWN && b.changes !== null ? b.changes : null;
  if (b.changes === NOT_KNOWN) unknownCodes(b, ctx);
  if (b.changes === null && b.action !== "delete")
    row.notes.push("no codeChanges in the preview (an older provider)");
  const generated = generatedNote(b);
  if (generated) row.notes.push(generated);
  if (b.action === "create") {
    row.removed = "0";
    row.notes.unshift("new batch");
  } else if (b.action === "update") {
    stockNotes(b, row);
    const removed = known?.removed;
    if (typeof removed === "number" && removed > 0 && typeof b.newPolicy === "string") {
      row.notes.push(removalNote(b, removed, b.newPolicy, `the ${removed} removed codes are`, ctx));
    }
    if (removed === null) row.notes.push("the codes applied last cannot be read from the state");
  } else if (b.action === "replace" || b.action === "delete") {
    row.removed = num(b.oldCount);
    if (b.action === "delete") [row.added, row.after, row.expiry] = ["0", "0", text(b.oldExpiry)];
    row.notes.push(wholeRemovalNote(b, target, ctx));
  } else {
    row.notes.push(`\`${b.action}\` is not analysed`);
  }
  return row;
}
