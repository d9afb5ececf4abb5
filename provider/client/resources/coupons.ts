/**
 * The client's coupon methods (`api/coupons`).
 *
 * @packageDocumentation
 */
import type { KlaviyoClient } from "../klaviyoClient";
import { paginate } from "../pagination";
import { list, pageSize } from "../requestParams";
import { schemas } from "../schemas";
import { notFound, spec, type ClientContext } from "./context";

/** The coupon methods of {@link KlaviyoClient}. */
export type CouponMethods = Pick<
  KlaviyoClient,
  "getCoupons" | "createCoupon" | "getCoupon" | "updateCoupon" | "deleteCoupon"
>;

/**
 * Builds the coupon methods over one client's context.
 *
 * @param ctx - The client's request executor and base URL.
 */
export function couponMethods(ctx: ClientContext): CouponMethods {
  const { http } = ctx;
  return {
    getCoupons(opts = {}) {
      const req = spec(
        "getCoupons",
        {},
        { "fields[coupon]": list(opts.fields), "page[size]": pageSize(opts.pageSize) },
      );
      return paginate(http, ctx.baseUrl, req, schemas().couponCollection);
    },

    async createCoupon(attrs) {
      if (!attrs || typeof attrs.external_id !== "string" || attrs.external_id.length === 0) {
        throw new TypeError("external_id must be a non-empty string");
      }
      const body = { data: { type: "coupon", attributes: { ...attrs } } };
      return (await http.request(spec("createCoupon", {}, {}, body), schemas().couponDocument)).data;
    },

    async getCoupon(id, opts = {}) {
      const req = spec("getCoupon", { id }, { "fields[coupon]": list(opts.fields) });
      const doc = await http.request(req, schemas().nullableCouponDocument);
      return doc.data ?? notFound(req, "coupon");
    },

    async updateCoupon(id, attrs) {
      const body = { data: { type: "coupon", id, attributes: { ...attrs } } };
      return (await http.request(spec("updateCoupon", { id }, {}, body), schemas().couponDocument)).data;
    },

    async deleteCoupon(id) {
      await http.request(spec("deleteCoupon", { id }));
    },
  };
}
