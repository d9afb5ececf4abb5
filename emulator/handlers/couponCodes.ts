/** Handlers of the coupon-code endpoints (#6-#10). */
import { parseCodeCreate, parseCodeUpdate } from "../bodies";
import { compileCodeFilter, type CodeFilter } from "../filterRules";
import type { CodeRecord } from "../model";
import { mergeBySeq, type SeqEntry } from "../orderedIndex";
import { takePage } from "../pagination";
import { codeResource, collectionLinks, couponResource } from "../serialize";
import type { ApiResult, HandlerContext } from "../state";
import type { CouponStore } from "../store";

/** #6 GET /api/coupon-codes: the filter must name coupon(s) or profile(s). */
export function getCouponCodes(ctx: HandlerContext): ApiResult {
  const filter = compileCodeFilter(ctx.query.filter as string, true);
  const { store } = ctx.state;
  const page = takePage(candidates(store, filter, ctx.query.after), ctx.query.pageSize, filter.matches);
  const body: Record<string, unknown> = {
    data: page.items.map((code) => codeResource(code, ctx.links, ctx.query.fields)),
    links: collectionLinks(ctx.selfUrl, page.nextCursor),
  };
  if (ctx.query.include.has("coupon")) body.included = includedCoupons(ctx, page.items);
  return { status: 200, body };
}

/** #7 POST /api/coupon-codes (200, not 201, since revision 2024-10-15). */
export function createCouponCode(ctx: HandlerContext): ApiResult {
  const input = parseCodeCreate(ctx.body);
  const code = ctx.state.store.createCode(input, ctx.nowMicros);
  return {
    status: 200,
    body: { data: codeResource(code, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #8 GET /api/coupon-codes/{id} */
export function getCouponCode(ctx: HandlerContext): ApiResult {
  const code = ctx.state.store.requireCode(ctx.params.id);
  const body: Record<string, unknown> = {
    data: codeResource(code, ctx.links, ctx.query.fields),
    links: { self: ctx.selfUrl },
  };
  if (ctx.query.include.has("coupon")) body.included = includedCoupons(ctx, [code]);
  return { status: 200, body };
}

/** #9 PATCH /api/coupon-codes/{id}: only status and expires_at change. */
export function updateCouponCode(ctx: HandlerContext): ApiResult {
  ctx.state.store.requireCode(ctx.params.id);
  const patch = parseCodeUpdate(ctx.body, ctx.params.id);
  const code = ctx.state.store.updateCode(ctx.params.id, patch, ctx.nowMicros);
  return {
    status: 200,
    body: { data: codeResource(code, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #10 DELETE /api/coupon-codes/{id} */
export function deleteCouponCode(ctx: HandlerContext): ApiResult {
  ctx.state.store.deleteCode(ctx.params.id);
  return { status: 204 };
}

/**
 * The ordered stream of codes a filter can match, positioned after the cursor: the named coupons'
 * indexes merged by sequence, or else the named profiles' indexes. The remaining conditions are applied
 * by the caller, so unfiltered pages stay O(page size).
 */
export function candidates(
  store: CouponStore,
  filter: CodeFilter,
  after: number,
): Iterable<SeqEntry<CodeRecord>> {
  const sources: Array<Iterator<SeqEntry<CodeRecord>>> = [];
  if (filter.couponIds !== null) {
    for (const id of filter.couponIds) {
      const coupon = store.coupons.get(id);
      if (coupon) sources.push(coupon.codes.entriesAfter(after));
    }
  } else if (filter.profileIds !== null) {
    for (const id of filter.profileIds) {
      const index = store.codesOfProfile(id);
      if (index) sources.push(index.entriesAfter(after));
    }
  }
  return sources.length === 1 ? { [Symbol.iterator]: () => sources[0] } : mergeBySeq(sources);
}

function includedCoupons(ctx: HandlerContext, codes: CodeRecord[]): unknown[] {
  const seen = new Set<string>();
  const included: unknown[] = [];
  for (const code of codes) {
    if (seen.has(code.couponId)) continue;
    seen.add(code.couponId);
    const coupon = ctx.state.store.coupons.get(code.couponId);
    if (coupon) included.push(couponResource(coupon, ctx.links, ctx.query.fields));
  }
  return included;
}
