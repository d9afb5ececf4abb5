/**
 * Validation of availability queries and the Klaviyo filter they become.
 *
 * Kept apart from the counting so the command line can reject bad arguments (exit 2) before it sends
 * anything, using exactly the rules the library applies.
 *
 * @packageDocumentation
 */
import { filter, type CouponCodeStatus } from "../client";
import { rfc3339Instant } from "../values";

/** Every coupon-code status Klaviyo reports, in the order tables show them. */
export const COUPON_CODE_STATUSES: readonly CouponCodeStatus[] = [
  "UNASSIGNED",
  "PROCESSING",
  "ASSIGNED_TO_PROFILE",
  "USED",
  "VERSION_NOT_ACTIVE",
  "DELETING",
];

/** An instant accepted by the expiry bounds. */
export type AvailabilityInstant = Date | string;

/** What to count: one coupon's codes, optionally narrowed by status and expiry. */
export interface AvailabilityQuery {
  /** Id (= `external_id`) of the coupon whose codes are counted. */
  couponId: string;
  /** Count only codes with this status (Klaviyo filter `equals(status,...)`); case-insensitive; null = any. */
  status?: CouponCodeStatus | string | null;
  /**
   * Count only codes expiring at or after this instant (inclusive: `greater-or-equal(expires_at,...)`).
   * A `Date`, an RFC 3339 date-time with seconds and an offset, or a date `YYYY-MM-DD` (midnight UTC).
   */
  expiresAfter?: AvailabilityInstant | null;
  /**
   * Count only codes expiring strictly before this instant (exclusive: `less-than(expires_at,...)`).
   * Same formats as `expiresAfter`. Together the bounds form the half-open window `[after, before)`,
   * so adjacent windows never count a code twice.
   */
  expiresBefore?: AvailabilityInstant | null;
  /** Also return the matching codes themselves (default false: only counts leave Klaviyo's answer). */
  includeCodes?: boolean;
}

/** A query after validation: bounds as ISO strings, status uppercase, absent values null. */
export interface NormalizedAvailabilityQuery {
  /** The coupon id. */
  couponId: string;
  /** Status filter, or null for every status. */
  status: CouponCodeStatus | null;
  /** Inclusive lower expiry bound (ISO 8601, UTC), or null. */
  expiresAfter: string | null;
  /** Exclusive upper expiry bound (ISO 8601, UTC), or null. */
  expiresBefore: string | null;
  /** Whether codes are returned. */
  includeCodes: boolean;
}

/**
 * Parses an expiry bound into an ISO 8601 UTC string.
 *
 * @param name - Option name used in the error message.
 * @param value - `Date`, RFC 3339 date-time with seconds and an offset, or `YYYY-MM-DD` (midnight UTC):
 *   the rule of `rfc3339Instant` (`provider/values.ts`), which a batch's `expiresAt` follows too.
 * @throws TypeError naming the option when the value is not one of those.
 */
export function parseInstant(name: string, value: AvailabilityInstant): string {
  let ms: number | undefined;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "string") ms = rfc3339Instant(value, { date: true });
  if (ms === undefined || Number.isNaN(ms)) {
    const shown = value instanceof Date ? "Invalid Date" : value;
    throw new TypeError(
      `${name} must be an RFC 3339 date-time with seconds and an offset (2026-05-01T00:00:00Z) or a date ` +
        `(2026-05-01), got ${JSON.stringify(shown)}`,
    );
  }
  return new Date(ms).toISOString();
}

/**
 * Parses a status name, case-insensitively.
 *
 * @param value - A status such as `unassigned` or `USED`.
 * @param name - Option name used in the error message.
 * @throws TypeError listing the valid statuses.
 */
export function parseStatus(value: string, name = "status"): CouponCodeStatus {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : "";
  const found = COUPON_CODE_STATUSES.find((s) => s === upper);
  if (!found) {
    throw new TypeError(
      `${name} must be one of ${COUPON_CODE_STATUSES.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return found;
}

/**
 * Validates a query and fills in defaults. Nothing is sent to Klaviyo.
 *
 * @param query - The query as a user wrote it.
 * @throws TypeError on a missing coupon id, an unknown status, a malformed bound, or an empty window
 *   (`expiresAfter` not earlier than `expiresBefore`).
 */
export function normalizeAvailabilityQuery(query: AvailabilityQuery): NormalizedAvailabilityQuery {
  if (!query || typeof query !== "object") throw new TypeError("an availability query object is required");
  const { couponId } = query;
  if (typeof couponId !== "string" || couponId.trim().length === 0) {
    throw new TypeError("couponId must be a non-empty string");
  }
  const status = query.status === undefined || query.status === null ? null : parseStatus(query.status);
  const expiresAfter = query.expiresAfter == null ? null : parseInstant("expiresAfter", query.expiresAfter);
  const expiresBefore =
    query.expiresBefore == null ? null : parseInstant("expiresBefore", query.expiresBefore);
  if (
    expiresAfter !== null &&
    expiresBefore !== null &&
    Date.parse(expiresAfter) >= Date.parse(expiresBefore)
  ) {
    // The window [after, before) would be empty: almost certainly swapped arguments, not a real question.
    throw new TypeError(
      `expiresAfter (${expiresAfter}) must be earlier than expiresBefore (${expiresBefore})`,
    );
  }
  return { couponId, status, expiresAfter, expiresBefore, includeCodes: query.includeCodes === true };
}

/**
 * Builds the Klaviyo filter for a normalized query, e.g.
 * `and(equals(coupon.id,"SPRING10"),equals(status,"UNASSIGNED"),greater-or-equal(expires_at,...))`.
 *
 * @param query - A query from {@link normalizeAvailabilityQuery}.
 */
export function availabilityFilter(query: NormalizedAvailabilityQuery): string {
  const parts = [filter.equals("coupon.id", query.couponId)];
  if (query.status !== null) parts.push(filter.equals("status", query.status));
  if (query.expiresAfter !== null) parts.push(filter.greaterOrEqual("expires_at", query.expiresAfter));
  if (query.expiresBefore !== null) parts.push(filter.lessThan("expires_at", query.expiresBefore));
  return filter.and(...parts);
}
