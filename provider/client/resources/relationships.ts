/**
 * The client's relationship methods: a code's coupon and a coupon's codes, read through the
 * relationship and related-resource endpoints.
 *
 * @packageDocumentation
 */
import type { KlaviyoClient } from "../klaviyoClient";
import { paginate } from "../pagination";
import { list, optionalFilter, pageSize } from "../requestParams";
import { schemas } from "../schemas";
import { notFound, spec, type ClientContext } from "./context";

/** The relationship methods of {@link KlaviyoClient}. */
export type RelationshipMethods = Pick<
  KlaviyoClient,
  | "getCouponForCouponCode"
  | "getCouponIdForCouponCode"
  | "getCouponCodesForCoupon"
  | "getCouponCodeIdsForCoupon"
>;

/**
 * Builds the relationship methods over one client's context.
 *
 * @param ctx - The client's request executor and base URL.
 */
export function relationshipMethods(ctx: ClientContext): RelationshipMethods {
  const { http } = ctx;
  return {
    async getCouponForCouponCode(codeId) {
      const req = spec("getCouponForCouponCode", { id: codeId });
      const doc = await http.request(req, schemas().nullableCouponDocument);
      return doc.data ?? notFound(req, "coupon");
    },

    async getCouponIdForCouponCode(codeId) {
      const req = spec("getCouponIdForCouponCode", { id: codeId });
      const doc = await http.request(req, schemas().couponIdDocument);
      return doc.data?.id ?? null;
    },

    getCouponCodesForCoupon(couponId, opts = {}) {
      const req = spec(
        "getCouponCodesForCoupon",
        { id: couponId },
        {
          filter: optionalFilter(opts.filter),
          "fields[coupon-code]": list(opts.fields),
          "page[size]": pageSize(opts.pageSize),
        },
      );
      return paginate(http, ctx.baseUrl, req, schemas().couponCodeCollection);
    },

    getCouponCodeIdsForCoupon(couponId, opts = {}) {
      const req = spec(
        "getCouponCodeIdsForCoupon",
        { id: couponId },
        { filter: optionalFilter(opts.filter), "page[size]": pageSize(opts.pageSize) },
      );
      return paginate(http, ctx.baseUrl, req, schemas().couponCodeIdCollection);
    },
  };
}
