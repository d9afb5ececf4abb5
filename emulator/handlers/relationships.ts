/** Handlers of the relationship endpoints (#14-#17). */
import { compileCodeFilter } from "../filterRules";
import { takePage } from "../pagination";
import { codeResource, collectionLinks, couponResource } from "../serialize";
import type { ApiResult, HandlerContext } from "../state";

/** #14 GET /api/coupon-codes/{id}/coupon */
export function getCouponForCouponCode(ctx: HandlerContext): ApiResult {
  const { store } = ctx.state;
  const coupon = store.requireCoupon(store.requireCode(ctx.params.id).couponId);
  return {
    status: 200,
    body: { data: couponResource(coupon, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #15 GET /api/coupon-codes/{id}/relationships/coupon */
export function getCouponIdForCouponCode(ctx: HandlerContext): ApiResult {
  const code = ctx.state.store.requireCode(ctx.params.id);
  return { status: 200, body: { data: { type: "coupon", id: code.couponId }, links: { self: ctx.selfUrl } } };
}

/** #16 GET /api/coupons/{id}/coupon-codes */
export function getCouponCodesForCoupon(ctx: HandlerContext): ApiResult {
  const page = pageOfCoupon(ctx);
  return {
    status: 200,
    body: {
      data: page.items.map((code) => codeResource(code, ctx.links, ctx.query.fields)),
      links: collectionLinks(ctx.selfUrl, page.nextCursor),
    },
  };
}

/** #17 GET /api/coupons/{id}/relationships/coupon-codes */
export function getCouponCodeIdsForCoupon(ctx: HandlerContext): ApiResult {
  const page = pageOfCoupon(ctx);
  return {
    status: 200,
    body: {
      data: page.items.map((code) => ({ type: "coupon-code", id: code.id })),
      links: collectionLinks(ctx.selfUrl, page.nextCursor),
    },
  };
}

function pageOfCoupon(ctx: HandlerContext) {
  const coupon = ctx.state.store.requireCoupon(ctx.params.id);
  const filter = ctx.query.filter === undefined ? undefined : compileCodeFilter(ctx.query.filter, false);
  return takePage(coupon.codes.entriesAfter(ctx.query.after), ctx.query.pageSize, filter?.matches);
}
