/**
 * Typed client for the Klaviyo Coupons API (coupons, coupon codes, bulk-create jobs).
 *
 * @packageDocumentation
 */
import { klaviyoError } from "./errors";
import { createHttp, type RequestSpec } from "./http";
import { fillPath, OPERATIONS, type OperationName } from "./operations";
import { resolveOptions, type KlaviyoClientOptions } from "./options";
import { paginate } from "./pagination";
import { codeResource, list, optionalFilter, pageSize } from "./requestParams";
import { sharedRateLimiter } from "./rateLimiter";
import type { CouponCodeCreate, Page } from "./clientTypes";
import { schemas } from "./schemas";
import type { BulkCreateJob, Coupon, CouponCode, CouponCodeIdentifier, CouponCodeStatus } from "./wireTypes";
import { createTransport } from "./transport";

/** Most codes one bulk-create job may carry (Klaviyo's documented limit). */
export const MAX_CODES_PER_BULK_JOB = 1000;

/** Typed Klaviyo Coupons API client. Every method throws a `KlaviyoError` when the call fails. */
export interface KlaviyoClient {
  /** Lists coupons, one page per iteration (`GET api/coupons`). */
  getCoupons(opts?: { pageSize?: number; fields?: string[] }): AsyncIterable<Page<Coupon>>;
  /** Creates a coupon; its id becomes `external_id` (`POST api/coupons`). */
  createCoupon(attrs: {
    external_id: string;
    description?: string | null;
    monitor_configuration?: Record<string, unknown> | null;
  }): Promise<Coupon>;
  /** Reads a coupon (`GET api/coupons/{id}`); a null `data` is reported as a 404. */
  getCoupon(id: string, opts?: { fields?: string[] }): Promise<Coupon>;
  /** Updates a coupon's description and monitor configuration (`PATCH api/coupons/{id}`). */
  updateCoupon(
    id: string,
    attrs: { description?: string | null; monitor_configuration?: Record<string, unknown> | null },
  ): Promise<Coupon>;
  /** Deletes a coupon (`DELETE api/coupons/{id}`). */
  deleteCoupon(id: string): Promise<void>;
  /** Lists coupon codes matching a filter that names coupon(s) or profile(s) (`GET api/coupon-codes`). */
  getCouponCodes(opts: {
    filter: string;
    pageSize?: number;
    fields?: { coupon?: string[]; "coupon-code"?: string[] };
    include?: "coupon";
  }): AsyncIterable<Page<CouponCode, Coupon>>;
  /** Creates one coupon code (`POST api/coupon-codes`). */
  createCouponCode(code: CouponCodeCreate): Promise<CouponCode>;
  /** Reads a coupon code, optionally with its coupon (`GET api/coupon-codes/{id}`). */
  getCouponCode(
    id: string,
    opts?: { include?: "coupon" },
  ): Promise<{ data: CouponCode; included?: Coupon[] }>;
  /** Updates a code's status or expiry (`PATCH api/coupon-codes/{id}`). */
  updateCouponCode(
    id: string,
    attrs: { status?: CouponCodeStatus | null; expires_at?: string | null },
  ): Promise<CouponCode>;
  /** Deletes a coupon code; Klaviyo refuses codes assigned to a profile (`DELETE api/coupon-codes/{id}`). */
  deleteCouponCode(id: string): Promise<void>;
  /** Lists bulk-create jobs, optionally filtered by status (`GET api/coupon-code-bulk-create-jobs`). */
  getBulkCreateCouponCodeJobs(opts?: { filter?: string }): AsyncIterable<Page<BulkCreateJob>>;
  /**
   * Submits a bulk-create job (`POST api/coupon-code-bulk-create-jobs`).
   *
   * @throws RangeError before any request when `codes` is empty or longer than 1000.
   */
  bulkCreateCouponCodes(codes: CouponCodeCreate[]): Promise<BulkCreateJob>;
  /** Reads a job, optionally with the codes it created (`GET api/coupon-code-bulk-create-jobs/{job_id}`). */
  getBulkCreateCouponCodesJob(
    jobId: string,
    opts?: { includeCodes?: boolean },
  ): Promise<{ data: BulkCreateJob; included?: CouponCode[] }>;
  /** Reads the coupon a code belongs to (`GET api/coupon-codes/{id}/coupon`). */
  getCouponForCouponCode(codeId: string): Promise<Coupon>;
  /** Reads the id of the coupon a code belongs to (`GET api/coupon-codes/{id}/relationships/coupon`). */
  getCouponIdForCouponCode(codeId: string): Promise<string | null>;
  /** Lists a coupon's codes (`GET api/coupons/{id}/coupon-codes`). */
  getCouponCodesForCoupon(
    couponId: string,
    opts?: { filter?: string; pageSize?: number; fields?: string[] },
  ): AsyncIterable<Page<CouponCode>>;
  /** Lists the ids of a coupon's codes (`GET api/coupons/{id}/relationships/coupon-codes`). */
  getCouponCodeIdsForCoupon(
    couponId: string,
    opts?: { filter?: string; pageSize?: number },
  ): AsyncIterable<Page<CouponCodeIdentifier>>;
}

/**
 * Creates a Klaviyo Coupons API client.
 *
 * Clients with the same API key and base URL share one rate limiter, so several clients in one process
 * together stay within the account's limits.
 *
 * @param options - API key and optional settings.
 * @throws TypeError on invalid options.
 */
export function createKlaviyoClient(options: KlaviyoClientOptions): KlaviyoClient {
  const o = resolveOptions(options);
  const transport = createTransport({
    headers: {
      Authorization: `Klaviyo-API-Key ${o.apiKey}`,
      revision: o.revision,
      Accept: "application/vnd.api+json",
      "Content-Type": "application/vnd.api+json",
      "User-Agent": o.userAgent,
    },
    timeoutMs: o.timeoutMs,
  });
  const http = createHttp({
    baseUrl: o.baseUrl,
    secrets: [o.apiKey],
    transport,
    limiter: o.rateLimitEnabled ? sharedRateLimiter(o.apiKey, o.baseUrl) : undefined,
    scale: o.scale,
    retry: o.retry,
    onRequest: o.onRequest,
    onWait: o.onWait,
  });
  const s = schemas;

  function spec(
    name: OperationName,
    params?: Record<string, string>,
    query?: Record<string, string | undefined>,
    body?: unknown,
  ): RequestSpec {
    const op = OPERATIONS[name];
    return { op, path: fillPath(op.path, params), query, body };
  }

  function notFound(req: RequestSpec, what: string): never {
    throw klaviyoError({
      status: 404,
      code: "not_found",
      title: "Not found",
      detail: `the response contained no ${what}`,
      method: req.op.method,
      path: req.path,
      operationId: req.op.operationId,
    });
  }

  return {
    getCoupons(opts = {}) {
      const req = spec(
        "getCoupons",
        {},
        { "fields[coupon]": list(opts.fields), "page[size]": pageSize(opts.pageSize) },
      );
      return paginate(http, o.baseUrl, req, s().couponCollection);
    },

    async createCoupon(attrs) {
      if (!attrs || typeof attrs.external_id !== "string" || attrs.external_id.length === 0) {
        throw new TypeError("external_id must be a non-empty string");
      }
      const body = { data: { type: "coupon", attributes: { ...attrs } } };
      return (await http.request(spec("createCoupon", {}, {}, body), s().couponDocument)).data;
    },

    async getCoupon(id, opts = {}) {
      const req = spec("getCoupon", { id }, { "fields[coupon]": list(opts.fields) });
      const doc = await http.request(req, s().nullableCouponDocument);
      return doc.data ?? notFound(req, "coupon");
    },

    async updateCoupon(id, attrs) {
      const body = { data: { type: "coupon", id, attributes: { ...attrs } } };
      return (await http.request(spec("updateCoupon", { id }, {}, body), s().couponDocument)).data;
    },

    async deleteCoupon(id) {
      await http.request(spec("deleteCoupon", { id }));
    },

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
      return paginate(http, o.baseUrl, req, s().couponCodeCollection);
    },

    async createCouponCode(code) {
      const body = { data: codeResource(code) };
      return (await http.request(spec("createCouponCode", {}, {}, body), s().couponCodeDocument)).data;
    },

    async getCouponCode(id, opts = {}) {
      const doc = await http.request(
        spec("getCouponCode", { id }, { include: opts.include }),
        s().couponCodeDocument,
      );
      return doc.included === undefined ? { data: doc.data } : { data: doc.data, included: doc.included };
    },

    async updateCouponCode(id, attrs) {
      const body = { data: { type: "coupon-code", id, attributes: { ...attrs } } };
      return (await http.request(spec("updateCouponCode", { id }, {}, body), s().couponCodeDocument)).data;
    },

    async deleteCouponCode(id) {
      await http.request(spec("deleteCouponCode", { id }));
    },

    getBulkCreateCouponCodeJobs(opts = {}) {
      const req = spec("getBulkCreateCouponCodeJobs", {}, { filter: optionalFilter(opts.filter) });
      return paginate(http, o.baseUrl, req, s().jobCollection);
    },

    async bulkCreateCouponCodes(codes) {
      if (!Array.isArray(codes) || codes.length === 0 || codes.length > MAX_CODES_PER_BULK_JOB) {
        throw new RangeError(
          `bulkCreateCouponCodes takes 1 to ${MAX_CODES_PER_BULK_JOB} codes, got ${Array.isArray(codes) ? codes.length : "none"}`,
        );
      }
      const body = {
        data: {
          type: "coupon-code-bulk-create-job",
          attributes: { "coupon-codes": { data: codes.map(codeResource) } },
        },
      };
      return (await http.request(spec("bulkCreateCouponCodes", {}, {}, body), s().jobDocument)).data;
    },

    async getBulkCreateCouponCodesJob(jobId, opts = {}) {
      const query = { include: opts.includeCodes ? "coupon-codes" : undefined };
      const doc = await http.request(
        spec("getBulkCreateCouponCodesJob", { job_id: jobId }, query),
        s().jobDocument,
      );
      return doc.included === undefined ? { data: doc.data } : { data: doc.data, included: doc.included };
    },

    async getCouponForCouponCode(codeId) {
      const req = spec("getCouponForCouponCode", { id: codeId });
      const doc = await http.request(req, s().nullableCouponDocument);
      return doc.data ?? notFound(req, "coupon");
    },

    async getCouponIdForCouponCode(codeId) {
      const doc = await http.request(spec("getCouponIdForCouponCode", { id: codeId }), s().couponIdDocument);
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
      return paginate(http, o.baseUrl, req, s().couponCodeCollection);
    },

    getCouponCodeIdsForCoupon(couponId, opts = {}) {
      const req = spec(
        "getCouponCodeIdsForCoupon",
        { id: couponId },
        { filter: optionalFilter(opts.filter), "page[size]": pageSize(opts.pageSize) },
      );
      return paginate(http, o.baseUrl, req, s().couponCodeIdCollection);
    },
  };
}
