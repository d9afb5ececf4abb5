/**
 * The client's coupon-code methods (`api/coupon-codes`).
 *
 * @packageDocumentation
 */
import type { KlaviyoClient } from "../klaviyoClient";
import { paginate } from "../pagination";
import { codeResource, list, pageSize } from "../requestParams";
import { schemas } from "../schemas";
import { spec, type ClientContext } from "./context";

/** The coupon-code methods of {@link KlaviyoClient}. */
export type CouponCodeMethods = Pick<
  KlaviyoClient,
  "getCouponCodes" | "createCouponCode" | "getCouponCode" | "updateCouponCode" | "deleteCouponCode"
>;

/**
 * Builds the coupon-code methods over one client's context.
 *
 * @param ctx - The client's request executor and base URL.
 */
export function couponCodeMethods(ctx: ClientContext): CouponCodeMethods {
  const { http } = ctx;
  return {
    getCouponCodes(opts) {
      if (!opts || typeof opts.filter !== "string" || opts.filter.length === 0) {
        throw new TypeError("getCouponCodes requires a filter naming coupon(s) or profile(s)");
      }
      const req = spec(
        "getCouponCodes",
        {},
        {
          filter: opts.filter,
          "fields[coupon]": list(opts.fields?.coupon),
          "fields[coupon-code]": list(opts.fields?.["coupon-code"]),
          include: opts.include,
          "page[size]": pageSize(opts.pageSize),
        },
      );
      return paginate(http, ctx.baseUrl, req, schemas().couponCodeCollection);
    },

    async createCouponCode(code) {
      const body = { data: codeResource(code) };
      return (await http.request(spec("createCouponCode", {}, {}, body), schemas().couponCodeDocument)).data;
    },

    async getCouponCode(id, opts = {}) {
      const doc = await http.request(
        spec("getCouponCode", { id }, { include: opts.include }),
        schemas().couponCodeDocument,
      );
      return doc.included === undefined ? { data: doc.data } : { data: doc.data, included: doc.included };
    },

    async updateCouponCode(id, attrs) {
      const body = { data: { type: "coupon-code", id, attributes: { ...attrs } } };
      const req = spec("updateCouponCode", { id }, {}, body);
      return (await http.request(req, schemas().couponCodeDocument)).data;
    },

    async deleteCouponCode(id) {
      await http.request(spec("deleteCouponCode", { id }));
    },
  };
}
