/**
 * Typed client for the Klaviyo Coupons API (coupons, coupon codes, bulk-create jobs).
 *
 * @packageDocumentation
 */
import { createHttp } from "./http";
import { resolveOptions, type KlaviyoClientOptions } from "./options";
import { sharedRateLimiter } from "./rateLimiter";
import type { CouponCodeCreate, Page } from "./clientTypes";
import type { BulkCreateJob, Coupon, CouponCode, CouponCodeIdentifier, CouponCodeStatus } from "./wireTypes";
import { createTransport } from "./transport";
import { bulkCreateJobMethods } from "./resources/bulkCreateJobs";
import type { ClientContext } from "./resources/context";
import { couponCodeMethods } from "./resources/couponCodes";
import { couponMethods } from "./resources/coupons";
import { relationshipMethods } from "./resources/relationships";

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
  const ctx: ClientContext = { http, baseUrl: o.baseUrl };
  return {
    ...couponMethods(ctx),
    ...couponCodeMethods(ctx),
    ...bulkCreateJobMethods(ctx, MAX_CODES_PER_BULK_JOB),
    ...relationshipMethods(ctx),
  };
}
