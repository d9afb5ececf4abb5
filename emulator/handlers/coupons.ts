/** Handlers of the coupon endpoints (#1-#5). */
import { parseCouponCreate, parseCouponUpdate } from "../bodies";
import { takePage } from "../pagination";
import { collectionLinks, couponResource } from "../serialize";
import type { ApiResult, HandlerContext } from "../state";

/** #1 GET /api/coupons */
export function getCoupons(ctx: HandlerContext): ApiResult {
  const { store } = ctx.state;
  const page = takePage(store.couponOrder.entriesAfter(ctx.query.after), ctx.query.pageSize);
  return {
    status: 200,
    body: {
      data: page.items.map((coupon) => couponResource(coupon, ctx.links, ctx.query.fields)),
      links: collectionLinks(ctx.selfUrl, page.nextCursor),
    },
  };
}

/** #2 POST /api/coupons */
export function createCoupon(ctx: HandlerContext): ApiResult {
  const input = parseCouponCreate(ctx.body);
  const coupon = ctx.state.store.createCoupon(input, ctx.state.settings.limits.maxCoupons);
  return {
    status: 201,
    body: { data: couponResource(coupon, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #3 GET /api/coupons/{id} */
export function getCoupon(ctx: HandlerContext): ApiResult {
  const coupon = ctx.state.store.requireCoupon(ctx.params.id);
  return {
    status: 200,
    body: { data: couponResource(coupon, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #4 PATCH /api/coupons/{id}: only description and monitor_configuration change. */
export function updateCoupon(ctx: HandlerContext): ApiResult {
  const coupon = ctx.state.store.requireCoupon(ctx.params.id);
  const patch = parseCouponUpdate(ctx.body, ctx.params.id);
  if (patch.description !== undefined) coupon.description = patch.description;
  if (patch.monitorConfiguration !== undefined) coupon.monitorConfiguration = patch.monitorConfiguration;
  return {
    status: 200,
    body: { data: couponResource(coupon, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #5 DELETE /api/coupons/{id} */
export function deleteCoupon(ctx: HandlerContext): ApiResult {
  ctx.state.store.deleteCoupon(ctx.params.id, ctx.state.settings.couponDelete);
  return { status: 204 };
}
