/** The route table: every coupon operation of the spec with its path, rate-limit tier and query spec. */
import * as coupons from "./handlers/coupons";
import * as codes from "./handlers/couponCodes";
import * as jobs from "./handlers/jobs";
import * as relationships from "./handlers/relationships";
import type { QuerySpec } from "./query";
import type { Tier } from "./rateLimiter";
import type { ApiResult, HandlerContext } from "./state";

/** One API operation. */
export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path segments; `{name}` segments capture a decoded parameter. */
  segments: string[];
  operationId: string;
  tier: Tier;
  query: QuerySpec;
  handler: (ctx: HandlerContext) => ApiResult;
}

const COUPON = "coupon" as const;
const CODE = "coupon-code" as const;
const JOB = "coupon-code-bulk-create-job" as const;

function route(
  method: Route["method"],
  path: string,
  operationId: string,
  tier: Tier,
  query: QuerySpec,
  handler: Route["handler"],
): Route {
  return { method, segments: path.split("/").filter(Boolean), operationId, tier, query, handler };
}

/** All 17 coupon operations. */
export const ROUTES: Route[] = [
  route(
    "GET",
    "/api/coupons",
    "get_coupons",
    "L",
    { fields: [COUPON], cursor: true, pageSize: true },
    coupons.getCoupons,
  ),
  route("POST", "/api/coupons", "create_coupon", "S", { fields: [COUPON] }, coupons.createCoupon),
  route("GET", "/api/coupons/{id}", "get_coupon", "L", { fields: [COUPON] }, coupons.getCoupon),
  route("PATCH", "/api/coupons/{id}", "update_coupon", "S", { fields: [COUPON] }, coupons.updateCoupon),
  route("DELETE", "/api/coupons/{id}", "delete_coupon", "S", {}, coupons.deleteCoupon),
  route(
    "GET",
    "/api/coupon-codes",
    "get_coupon_codes",
    "XL",
    { fields: [CODE, COUPON], filter: "required", include: ["coupon"], cursor: true, pageSize: true },
    codes.getCouponCodes,
  ),
  route("POST", "/api/coupon-codes", "create_coupon_code", "XL", { fields: [CODE] }, codes.createCouponCode),
  route(
    "GET",
    "/api/coupon-codes/{id}",
    "get_coupon_code",
    "XL",
    { fields: [CODE, COUPON], include: ["coupon"] },
    codes.getCouponCode,
  ),
  route(
    "PATCH",
    "/api/coupon-codes/{id}",
    "update_coupon_code",
    "XL",
    { fields: [CODE] },
    codes.updateCouponCode,
  ),
  route("DELETE", "/api/coupon-codes/{id}", "delete_coupon_code", "XL", {}, codes.deleteCouponCode),
  route(
    "GET",
    "/api/coupon-code-bulk-create-jobs",
    "get_bulk_create_coupon_code_jobs",
    "L",
    { fields: [JOB], filter: "optional", cursor: true },
    jobs.getJobs,
  ),
  route(
    "POST",
    "/api/coupon-code-bulk-create-jobs",
    "bulk_create_coupon_codes",
    "L",
    { fields: [JOB] },
    jobs.createJob,
  ),
  route(
    "GET",
    "/api/coupon-code-bulk-create-jobs/{job_id}",
    "get_bulk_create_coupon_codes_job",
    "L",
    { fields: [JOB, CODE], include: ["coupon-codes"] },
    jobs.getJob,
  ),
  route(
    "GET",
    "/api/coupon-codes/{id}/coupon",
    "get_coupon_for_coupon_code",
    "L",
    { fields: [COUPON] },
    relationships.getCouponForCouponCode,
  ),
  route(
    "GET",
    "/api/coupon-codes/{id}/relationships/coupon",
    "get_coupon_id_for_coupon_code",
    "L",
    {},
    relationships.getCouponIdForCouponCode,
  ),
  route(
    "GET",
    "/api/coupons/{id}/coupon-codes",
    "get_coupon_codes_for_coupon",
    "L",
    { fields: [CODE], filter: "optional", cursor: true, pageSize: true },
    relationships.getCouponCodesForCoupon,
  ),
  route(
    "GET",
    "/api/coupons/{id}/relationships/coupon-codes",
    "get_coupon_code_ids_for_coupon",
    "L",
    { filter: "optional", cursor: true, pageSize: true },
    relationships.getCouponCodeIdsForCoupon,
  ),
];

/** The outcome of matching a path: a route with its parameters, or the methods the path supports. */
export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "not-found" }
  | { kind: "bad-path" };

/**
 * Matches raw (still percent-encoded) path segments. Segments are decoded only after splitting, so an
 * id containing an encoded '/' stays one id.
 */
export function matchRoute(method: string, rawSegments: string[]): RouteMatch {
  const allowed: string[] = [];
  for (const candidate of ROUTES) {
    if (candidate.segments.length !== rawSegments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < rawSegments.length && ok; i++) {
      const pattern = candidate.segments[i];
      if (pattern.startsWith("{")) {
        const decoded = safeDecode(rawSegments[i]);
        if (decoded === undefined) return { kind: "bad-path" };
        params[pattern.slice(1, -1)] = decoded;
      } else {
        ok = pattern === rawSegments[i];
      }
    }
    if (!ok) continue;
    if (candidate.method === method) return { kind: "found", route: candidate, params };
    allowed.push(candidate.method);
  }
  return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "not-found" };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
