/**
 * The review of a preview: one row per changed coupon and batch, the coupons whose deletion takes
 * held codes with it, and (with `--live`) the unassigned stock each coupon is left with against its
 * `lowBalanceThreshold`.
 *
 * @packageDocumentation
 */
import { count } from "../format";
import { batchRow, heldAmongRemoved, newCouponOf, type ReviewContext } from "./batchRows";
import { splitTags, type LiveCoupon, type LiveRequest } from "./live";
import {
  change,
  code,
  NONE,
  num,
  text,
  type Finding,
  type Review,
  type ReviewRow,
  type StockRow,
} from "./markdown";
import { NOT_KNOWN, type BatchStep, type CouponStep, type Maybe, type Preview } from "./previewTypes";

/** Actions that change something; `same`, `read` and `refresh` steps get no row. */
const QUIET = new Set(["same", "read", "refresh"]);

/** A lowBalanceThreshold for a cell: null is no threshold. */
function thresholdText(value: Maybe<number | null> | undefined): string {
  return value === null ? "none" : num(value);
}

/** Coupons a change deletes, or replaces by another id: Klaviyo deletes their codes. */
function goneCoupons(preview: Preview): Set<string> {
  const gone = new Set<string>();
  for (const c of preview.coupons) {
    if (c.oldId !== null && (c.action === "delete" || (c.action === "replace" && c.newId !== c.oldId))) {
      gone.add(c.oldId);
    }
  }
  return gone;
}

/** Coupons the change creates (not adopted): nothing of theirs is in Klaviyo yet. */
function newCoupons(preview: Preview): Set<string> {
  const created = new Set<string>();
  for (const c of preview.coupons) {
    if (typeof c.newId === "string" && c.newId !== c.oldId && !c.adopt && c.action !== "same")
      created.add(c.newId);
  }
  return created;
}

/**
 * The coupons `--live` lists, each with the removed-code tags to look for: the old coupon of every
 * batch that loses codes, the coupon of every batch that gains some (for the stock), and every coupon
 * deleted, replaced or updated. Coupons the change creates are not in Klaviyo yet. The threshold of a
 * coupon left with codes is read from Klaviyo when the preview does not show it (no `--show-sames`).
 *
 * @param preview - The preview.
 */
export function couponsToList(preview: Preview): Map<string, LiveRequest> {
  const created = newCoupons(preview);
  const gone = goneCoupons(preview);
  const couponsByUrn = new Map(preview.coupons.map((c) => [c.urn, c]));
  const wanted = new Map<string, LiveRequest & { tags: Set<string> }>();
  const want = (id: unknown) => {
    if (typeof id !== "string" || created.has(id)) return undefined;
    if (!wanted.has(id)) {
      const shown = preview.coupons.some((c) => c.newId === id && c.action !== "delete");
      wanted.set(id, { tags: new Set(), threshold: !shown && !gone.has(id) });
    }
    return wanted.get(id)?.tags;
  };
  for (const b of preview.batches) {
    if (QUIET.has(b.action)) continue;
    const tags = want(b.oldCoupon);
    const removedTags = b.changes !== NOT_KNOWN && b.changes !== null ? b.changes.removedTags : null;
    if (b.action === "update" && tags && typeof removedTags === "string") {
      for (const tag of splitTags(removedTags)) tags.add(tag);
    }
    want(newCouponOf(b, couponsByUrn));
  }
  for (const c of preview.coupons) if (!QUIET.has(c.action)) want(c.action === "create" ? c.newId : c.oldId);
  return wanted;
}

/** Held codes on a deleted or replaced coupon: Klaviyo's count, or the batches' in the preview. */
function couponHeld(
  c: CouponStep,
  preview: Preview,
  live: LiveCoupon | undefined,
): { count: number; phrase: string } {
  if (live)
    return { count: live.held, phrase: `${live.held} of its ${count(live.total)} codes held by profiles` };
  const batches = preview.batches.filter((b) => b.oldCoupon === c.oldId && b.held !== null);
  if (batches.length === 0) return { count: 0, phrase: "held codes unknown: run with --live" };
  const held = batches.reduce((sum, b) => sum + (b.held ?? 0), 0);
  return {
    count: held,
    phrase: `at least ${held} held by profiles as of the last apply or refresh, from its batches in this preview`,
  };
}

/** The notes and warning of a coupon the change deletes or replaces. */
function couponRemoval(c: CouponStep, row: ReviewRow, preview: Preview, ctx: ReviewContext): void {
  const live = c.oldId === null ? undefined : ctx.live?.get(c.oldId);
  const held = couponHeld(c, preview, live);
  row.removed = live ? count(live.total) : "all";
  const how = c.action === "delete" ? "deleted" : "replaced";
  const why =
    c.action === "replace" && c.replaceReasons.length > 0 ? ` (${c.replaceReasons.join(", ")} changes)` : "";
  row.notes.unshift(`coupon ${how}${why}: Klaviyo deletes its codes, held ones included (${held.phrase})`);
  ctx.findings.push({
    dangerous: held.count > 0,
    text:
      `${code(c.name)}: the coupon is ${how}, and Klaviyo deletes every code on ${text(c.oldId)} with it, ` +
      `held ones included (${held.phrase}).`,
  });
}

function couponRow(c: CouponStep, preview: Preview, ctx: ReviewContext): ReviewRow {
  const row: ReviewRow = {
    resource: `Coupon ${code(c.name)}`,
    coupon:
      c.action === "replace"
        ? change(c.oldId ?? undefined, c.newId ?? undefined, text)
        : text(c.oldId ?? c.newId),
    action: c.action,
    ...{ added: NONE, removed: NONE, after: NONE, expiry: NONE, policy: NONE },
    notes: [],
  };
  if (
    c.oldThreshold !== c.threshold &&
    c.action !== "delete" &&
    !(c.action === "create" && c.threshold === null)
  ) {
    row.notes.push(`lowBalanceThreshold ${change(c.oldThreshold, c.threshold, thresholdText)}`);
  }
  if (c.action === "create")
    row.notes.unshift(c.adopt ? "adopts the existing Klaviyo coupon and its codes" : "new coupon");
  if (c.action === "update") row.notes.push("changed in place: its codes are untouched");
  if (c.action === "delete" || c.action === "replace") couponRemoval(c, row, preview, ctx);
  return row;
}

interface Flow {
  /** Lowest and highest unassigned count after the change. */
  low: number;
  high: number;
  /** Whether codes of unknown number are added. */
  openEnded: boolean;
}

/** Unassigned codes a batch adds to and removes from coupon `id` (a range: held codes stay). */
function flowOf(id: string, now: number, preview: Preview, ctx: ReviewContext): Flow {
  const flow: Flow = { low: now, high: now, openEnded: false };
  for (const b of preview.batches) {
    if (QUIET.has(b.action)) continue;
    const changes = b.changes !== NOT_KNOWN && b.changes !== null ? b.changes : null;
    if (newCouponOf(b, ctx.couponsByUrn) === id && b.action !== "delete") {
      const added = b.changes === NOT_KNOWN ? NOT_KNOWN : (changes?.added ?? null);
      if (typeof added === "number") [flow.low, flow.high] = [flow.low + added, flow.high + added];
      else flow.openEnded = true;
    }
    if (b.oldCoupon === id && b.action !== "create") removeFrom(flow, b, changes?.removed, ctx);
  }
  return { ...flow, low: Math.max(0, flow.low), high: Math.max(0, flow.high) };
}

function removeFrom(flow: Flow, b: BatchStep, updateRemoved: unknown, ctx: ReviewContext): void {
  const removed = b.action === "update" ? updateRemoved : b.oldCount;
  const policy = b.action === "update" ? b.newPolicy : b.oldPolicy;
  if (typeof removed !== "number" || removed === 0 || policy === "retain") return;
  // Only unassigned codes leave the stock; held ones among the removed ones were not in it.
  const held = heldAmongRemoved(b, removed, ctx.live);
  const exact = held.count !== null && !held.upTo;
  flow.low -= exact ? removed - (held.count ?? 0) : removed;
  flow.high -= removed - (held.count ?? removed);
}

/** The unassigned codes after the change: `13`, `13 to 18`, or `at least 30` when some are unknown. */
function afterText(flow: Flow): string {
  if (flow.openEnded) return `at least ${count(flow.low)}`;
  return flow.low === flow.high ? count(flow.low) : `${count(flow.low)} to ${count(flow.high)}`;
}

/**
 * The finding of a coupon left below its threshold: dangerous when the change takes unassigned codes
 * away (counting the worst case: none of the removed codes is held), a warning when it only fails to
 * add enough.
 */
function lowStock(id: string, now: number, flow: Flow, threshold: number): Finding {
  const below = `below its lowBalanceThreshold of ${count(threshold)}`;
  if (flow.openEnded || flow.low >= now) {
    return {
      dangerous: false,
      text: `coupon ${code(id)}: ${afterText(flow)} unassigned codes after the change, ${below}.`,
    };
  }
  const to = flow.low === flow.high ? count(flow.low) : `between ${count(flow.low)} and ${count(flow.high)}`;
  const fall =
    flow.high < threshold
      ? `its unassigned codes fall from ${count(now)} to ${to}`
      : `its unassigned codes may fall from ${count(now)} to ${count(flow.low)} (if none of the removed codes is held)`;
  return { dangerous: true, text: `coupon ${code(id)}: ${fall}, ${below}.` };
}

function stockRow(id: string, now: number | null, preview: Preview, ctx: ReviewContext): StockRow {
  const flow = flowOf(id, now ?? 0, preview, ctx);
  const coupon = preview.coupons.find((c) => c.newId === id && c.action !== "delete");
  const live = ctx.live?.get(id);
  const threshold = coupon === undefined ? live?.threshold : coupon.threshold;
  if (typeof threshold === "number" && flow.low < threshold) {
    ctx.findings.push(lowStock(id, now ?? 0, flow, threshold));
  }
  return {
    coupon: code(id),
    now: now === null ? "0 (new coupon)" : count(now),
    after: afterText(flow),
    threshold: threshold === undefined ? NONE : thresholdText(threshold),
    held: live ? count(live.held) : NONE,
  };
}

function stockRows(preview: Preview, ctx: ReviewContext): StockRow[] {
  const ids = new Set<string>([...(ctx.live?.keys() ?? []), ...newCoupons(preview)]);
  const rows: StockRow[] = [];
  for (const id of ids) {
    if (ctx.goneCoupons.has(id)) continue;
    rows.push(stockRow(id, ctx.live?.get(id)?.unassigned ?? null, preview, ctx));
  }
  return rows;
}

/**
 * Reviews a preview.
 *
 * @param preview - From `readPreview`.
 * @param live - Coupons as Klaviyo reports them now (from `readLiveCoupons`), or null without `--live`.
 * @returns The review; it is dangerous (exit 4) when a finding is.
 */
export function reviewPreview(preview: Preview, live: ReadonlyMap<string, LiveCoupon> | null): Review {
  const findings: Finding[] = [];
  const couponsByUrn = new Map(preview.coupons.map((c) => [c.urn, c]));
  const ctx: ReviewContext = { couponsByUrn, live, goneCoupons: goneCoupons(preview), findings };
  const rows = [
    ...preview.coupons.filter((c) => !QUIET.has(c.action)).map((c) => couponRow(c, preview, ctx)),
    ...preview.batches.filter((b) => !QUIET.has(b.action)).map((b) => batchRow(b, ctx)),
  ];
  const stock = live === null ? [] : stockRows(preview, ctx);
  const footnotes = live
    ? [
        "Held and unassigned counts are Klaviyo's now; removed codes are matched by keyed tags. No code is shown.",
      ]
    : [
        "Held counts come from the state, as of the last apply or refresh. Run `klaviyo-coupons review --live` " +
          "to read them from Klaviyo and to check each coupon's lowBalanceThreshold. No code is shown.",
      ];
  return { stack: preview.stack, live: live !== null, rows, stock, findings, footnotes };
}
