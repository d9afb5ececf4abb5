/**
 * The Klaviyo coupon operations this client calls: HTTP method, path template and rate-limit tier.
 *
 * @packageDocumentation
 */

/** Klaviyo rate-limit tiers for coupon endpoints (burst per second / steady per minute). */
export type RateLimitTier = "S" | "L" | "XL";

/** HTTP methods used by the coupon API. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One row of the operation table. */
export interface Operation {
  /** Klaviyo's operationId (snake_case, as in the OpenAPI spec). */
  readonly operationId: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path template relative to the base URL, without a leading slash; `{id}` style placeholders. */
  readonly path: string;
  /** Rate-limit tier from the spec's `x-klaviyo-ratelimit`. */
  readonly tier: RateLimitTier;
}

/** Per-tier limits from the spec (burst per second, steady per minute). */
export const TIER_LIMITS: Readonly<
  Record<RateLimitTier, { readonly perSecond: number; readonly perMinute: number }>
> = {
  S: { perSecond: 3, perMinute: 60 },
  L: { perSecond: 75, perMinute: 750 },
  XL: { perSecond: 350, perMinute: 3500 },
};

/** All operations, keyed by the client method name (the camelCased operationId). */
export const OPERATIONS = {
  getCoupons: { operationId: "get_coupons", method: "GET", path: "api/coupons", tier: "L" },
  createCoupon: { operationId: "create_coupon", method: "POST", path: "api/coupons", tier: "S" },
  getCoupon: { operationId: "get_coupon", method: "GET", path: "api/coupons/{id}", tier: "L" },
  updateCoupon: { operationId: "update_coupon", method: "PATCH", path: "api/coupons/{id}", tier: "S" },
  deleteCoupon: { operationId: "delete_coupon", method: "DELETE", path: "api/coupons/{id}", tier: "S" },
  getCouponCodes: { operationId: "get_coupon_codes", method: "GET", path: "api/coupon-codes", tier: "XL" },
  createCouponCode: {
    operationId: "create_coupon_code",
    method: "POST",
    path: "api/coupon-codes",
    tier: "XL",
  },
  getCouponCode: { operationId: "get_coupon_code", method: "GET", path: "api/coupon-codes/{id}", tier: "XL" },
  updateCouponCode: {
    operationId: "update_coupon_code",
    method: "PATCH",
    path: "api/coupon-codes/{id}",
    tier: "XL",
  },
  deleteCouponCode: {
    operationId: "delete_coupon_code",
    method: "DELETE",
    path: "api/coupon-codes/{id}",
    tier: "XL",
  },
  getBulkCreateCouponCodeJobs: {
    operationId: "get_bulk_create_coupon_code_jobs",
    method: "GET",
    path: "api/coupon-code-bulk-create-jobs",
    tier: "L",
  },
  bulkCreateCouponCodes: {
    operationId: "bulk_create_coupon_codes",
    method: "POST",
    path: "api/coupon-code-bulk-create-jobs",
    tier: "L",
  },
  getBulkCreateCouponCodesJob: {
    operationId: "get_bulk_create_coupon_codes_job",
    method: "GET",
    path: "api/coupon-code-bulk-create-jobs/{job_id}",
    tier: "L",
  },
  getCouponForCouponCode: {
    operationId: "get_coupon_for_coupon_code",
    method: "GET",
    path: "api/coupon-codes/{id}/coupon",
    tier: "L",
  },
  getCouponIdForCouponCode: {
    operationId: "get_coupon_id_for_coupon_code",
    method: "GET",
    path: "api/coupon-codes/{id}/relationships/coupon",
    tier: "L",
  },
  getCouponCodesForCoupon: {
    operationId: "get_coupon_codes_for_coupon",
    method: "GET",
    path: "api/coupons/{id}/coupon-codes",
    tier: "L",
  },
  getCouponCodeIdsForCoupon: {
    operationId: "get_coupon_code_ids_for_coupon",
    method: "GET",
    path: "api/coupons/{id}/relationships/coupon-codes",
    tier: "L",
  },
} as const satisfies Record<string, Operation>;

/** Client method names, one per operation. */
export type OperationName = keyof typeof OPERATIONS;

/**
 * Fills a path template, URL-encoding each value as one path segment (ids may contain `/`, `?`, `#`
 * or anything else).
 *
 * @param template - Path template such as `api/coupons/{id}`.
 * @param params - Values for each placeholder; each must be a non-empty string other than `.` and `..`.
 * @throws TypeError when a placeholder has no value, an empty one, or `.`/`..`: URL parsers resolve such
 * a segment (percent-encoded as `%2E` too), so the request would address another endpoint.
 */
export function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (typeof value !== "string" || value.length === 0) {
      throw new TypeError(`${name} must be a non-empty string`);
    }
    if (value === "." || value === "..") {
      throw new TypeError(
        `${name} "${value}" cannot be put in a URL path: it would address another endpoint`,
      );
    }
    return encodeURIComponent(value);
  });
}
