/**
 * Validation and rendering of request parameters and bodies.
 *
 * @packageDocumentation
 */
import type { CouponCodeCreate } from "./clientTypes";

/**
 * Validates `page[size]` (1..100) and renders it.
 *
 * @param value - Page size, if given.
 */
export function pageSize(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new RangeError("pageSize must be an integer from 1 to 100");
  }
  return String(value);
}

/**
 * Renders an array parameter (`fields[...]`, `include`) comma-separated, as the spec's `explode: false` says.
 *
 * @param values - Values, if given.
 */
export function list(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? values.join(",") : undefined;
}

/**
 * Checks an optional filter expression.
 *
 * @param value - Filter, if given.
 */
export function optionalFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError("filter must be a non-empty string");
  }
  return value;
}

/**
 * Builds the JSON:API resource object for a code to create (single or in a bulk job).
 *
 * @param code - The code.
 * @throws TypeError when the code has no unique_code or couponId.
 */
export function codeResource(code: CouponCodeCreate) {
  if (!code || typeof code.unique_code !== "string" || code.unique_code.length === 0) {
    throw new TypeError("unique_code must be a non-empty string");
  }
  if (typeof code.couponId !== "string" || code.couponId.length === 0) {
    throw new TypeError("couponId must be a non-empty string");
  }
  const attributes: { unique_code: string; expires_at?: string | null } = { unique_code: code.unique_code };
  if (code.expires_at !== undefined) attributes.expires_at = code.expires_at;
  return {
    type: "coupon-code" as const,
    attributes,
    relationships: { coupon: { data: { type: "coupon" as const, id: code.couponId } } },
  };
}
