/**
 * The client's bulk-create job methods (`api/coupon-code-bulk-create-jobs`).
 *
 * @packageDocumentation
 */
import type { KlaviyoClient } from "../klaviyoClient";
import { paginate } from "../pagination";
import { codeResource, optionalFilter } from "../requestParams";
import { schemas } from "../schemas";
import { spec, type ClientContext } from "./context";

/** The bulk-create job methods of {@link KlaviyoClient}. */
export type BulkCreateJobMethods = Pick<
  KlaviyoClient,
  "getBulkCreateCouponCodeJobs" | "bulkCreateCouponCodes" | "getBulkCreateCouponCodesJob"
>;

/**
 * Builds the bulk-create job methods over one client's context.
 *
 * @param ctx - The client's request executor and base URL.
 * @param maxCodesPerJob - Most codes one job may carry; passed in rather than imported so that this module
 *   and `klaviyoClient.ts`, which declares the limit, do not require each other.
 */
export function bulkCreateJobMethods(ctx: ClientContext, maxCodesPerJob: number): BulkCreateJobMethods {
  const { http } = ctx;
  return {
    getBulkCreateCouponCodeJobs(opts = {}) {
      const req = spec("getBulkCreateCouponCodeJobs", {}, { filter: optionalFilter(opts.filter) });
      return paginate(http, ctx.baseUrl, req, schemas().jobCollection);
    },

    async bulkCreateCouponCodes(codes) {
      if (!Array.isArray(codes) || codes.length === 0 || codes.length > maxCodesPerJob) {
        throw new RangeError(
          `bulkCreateCouponCodes takes 1 to ${maxCodesPerJob} codes, got ${Array.isArray(codes) ? codes.length : "none"}`,
        );
      }
      const body = {
        data: {
          type: "coupon-code-bulk-create-job",
          attributes: { "coupon-codes": { data: codes.map(codeResource) } },
        },
      };
      return (await http.request(spec("bulkCreateCouponCodes", {}, {}, body), schemas().jobDocument)).data;
    },

    async getBulkCreateCouponCodesJob(jobId, opts = {}) {
      const query = { include: opts.includeCodes ? "coupon-codes" : undefined };
      const doc = await http.request(
        spec("getBulkCreateCouponCodesJob", { job_id: jobId }, query),
        schemas().jobDocument,
      );
      return doc.included === undefined ? { data: doc.data } : { data: doc.data, included: doc.included };
    },
  };
}
