/**
 * Coupon-code availability: how many of a coupon's codes are in each status, and when the unassigned
 * ones expire.
 *
 * Klaviyo has no count endpoint, so the codes are listed on GET /api/coupon-codes (the 350/s tier) with
 * the coupon, status and expiry conditions in Klaviyo's `filter`, a sparse fieldset (only `status` and
 * `expires_at` unless the codes are wanted), and 100 codes per page; only the tally is kept in memory.
 * Nothing here imports `@pulumi/pulumi` (the Pulumi form lives in `output.ts`).
 *
 * @packageDocumentation
 */
import {
  createKlaviyoClient,
  type CouponCode,
  type CouponCodeStatus,
  type KlaviyoClient,
  type KlaviyoClientOptions,
} from "../client";
import {
  availabilityFilter,
  COUPON_CODE_STATUSES,
  normalizeAvailabilityQuery,
  type AvailabilityQuery,
  type NormalizedAvailabilityQuery,
} from "./query";
import { resolveClientSettings } from "../settings";

/** Keys of {@link CouponCodeAvailability.counts}: the six statuses, plus `UNKNOWN` for codes without one. */
export type AvailabilityStatus = CouponCodeStatus | "UNKNOWN";

/** One code, returned only when the query sets `includeCodes`. */
export interface AvailabilityCode {
  /** The code a shopper types. */
  uniqueCode: string;
  /** Klaviyo status, or null when Klaviyo reported none. */
  status: CouponCodeStatus | null;
  /** Expiry (ISO 8601 as Klaviyo wrote it), or null. */
  expiresAt: string | null;
  /** Id of the profile the code was assigned to, or null. */
  profileId: string | null;
}

/** The answer of {@link getCouponCodeAvailability}. */
export interface CouponCodeAvailability {
  /** The coupon whose codes were counted. */
  couponId: string;
  /** The filters applied at Klaviyo (null when absent); `expiresAfter` inclusive, `expiresBefore` exclusive. */
  filters: { status: CouponCodeStatus | null; expiresAfter: string | null; expiresBefore: string | null };
  /** Matching codes in total. */
  total: number;
  /** Matching codes per status; every key is present (zero when none). */
  counts: Record<AvailabilityStatus, number>;
  /** Shorthand for `counts.UNASSIGNED`: the codes still available to send. */
  unassigned: number;
  /** Earliest `expires_at` among matching UNASSIGNED codes, or null when none has an expiry. */
  earliestUnassignedExpiry: string | null;
  /** Latest `expires_at` among matching UNASSIGNED codes, or null when none has an expiry. */
  latestUnassignedExpiry: string | null;
  /** The matching codes; present only when the query set `includeCodes`. */
  codes?: AvailabilityCode[];
}

/** Progress of a listing, reported after each page. */
export interface ListingProgress {
  /** Pages fetched so far. */
  pages: number;
  /** Codes seen so far. */
  codes: number;
}

/** Extra controls for {@link getCouponCodeAvailability} and {@link listMatchingCouponCodes}. */
export interface ListingControls {
  /** Called after each page; exceptions it throws are ignored. */
  onProgress?: (progress: ListingProgress) => void;
  /**
   * Read the coupon first so an unknown id fails with Klaviyo's 404 instead of counting zero codes
   * (default true; one extra request on the 75/s tier).
   */
  checkCoupon?: boolean;
}

/** Fields a listing asks for: only what the tally needs, plus the code itself when it is returned. */
function codeFields(includeCodes: boolean): string[] {
  return includeCodes ? ["unique_code", "status", "expires_at"] : ["status", "expires_at"];
}

/**
 * True when the value looks like a {@link KlaviyoClient} (as opposed to client options).
 *
 * @param value - A client or options.
 */
function isKlaviyoClient(value: unknown): value is KlaviyoClient {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as KlaviyoClient).getCouponCodes === "function" &&
    typeof (value as KlaviyoClient).getCoupon === "function"
  );
}

/**
 * Returns the given client, builds one from options, or, with neither, from the environment
 * (`KLAVIYO_API_KEY`, `KLAVIYO_BASE_URL`, `KLAVIYO_REVISION`, as the provider reads them).
 *
 * @param clientOrOptions - A client, client options (used as given: the environment fills no gaps), or
 *   nothing.
 * @param env - Environment to read when nothing is given.
 * @throws Error naming KLAVIYO_API_KEY when no key can be found, or the variable holding an invalid
 *   value; TypeError on invalid options.
 */
export function resolveAvailabilityClient(
  clientOrOptions?: KlaviyoClient | KlaviyoClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): KlaviyoClient {
  if (isKlaviyoClient(clientOrOptions)) return clientOrOptions;
  if (clientOrOptions !== undefined) return createKlaviyoClient(clientOrOptions);
  const settings = resolveClientSettings({ env, keyHint: "library" });
  if (!settings.ok) throw new Error(settings.message);
  return createKlaviyoClient(settings.options);
}

/**
 * Lists the codes matching a query, page by page, with the query's filters applied at Klaviyo.
 *
 * @param client - Klaviyo client (its rate limiter paces the pages).
 * @param query - A normalized query; `includeCodes` decides whether `unique_code` is requested.
 * @param controls - Progress callback (`checkCoupon` is ignored here).
 */
export async function* listMatchingCouponCodes(
  client: KlaviyoClient,
  query: NormalizedAvailabilityQuery,
  controls: ListingControls = {},
): AsyncGenerator<CouponCode[], void, undefined> {
  const pages = client.getCouponCodes({
    filter: availabilityFilter(query),
    fields: { "coupon-code": codeFields(query.includeCodes) },
    pageSize: 100,
  });
  const progress: ListingProgress = { pages: 0, codes: 0 };
  for await (const page of pages) {
    progress.pages++;
    progress.codes += page.data.length;
    try {
      controls.onProgress?.({ ...progress });
    } catch {
      // A broken progress display must not abort a count.
    }
    yield page.data;
  }
}

function emptyCounts(): Record<AvailabilityStatus, number> {
  const counts = {} as Record<AvailabilityStatus, number>;
  for (const status of COUPON_CODE_STATUSES) counts[status] = 0;
  counts.UNKNOWN = 0;
  return counts;
}

/**
 * Counts the codes matching an already normalized query (no coupon check).
 *
 * @param client - Klaviyo client.
 * @param query - From `normalizeAvailabilityQuery`.
 * @param controls - Progress callback.
 */
export async function countCouponCodes(
  client: KlaviyoClient,
  query: NormalizedAvailabilityQuery,
  controls: ListingControls = {},
): Promise<CouponCodeAvailability> {
  const counts = emptyCounts();
  const codes: AvailabilityCode[] = [];
  let total = 0;
  let earliest: { ms: number; at: string } | null = null;
  let latest: { ms: number; at: string } | null = null;
  for await (const page of listMatchingCouponCodes(client, query, controls)) {
    for (const code of page) {
      const { status, expires_at: expiresAt } = code.attributes;
      total++;
      counts[status ?? "UNKNOWN"]++;
      if (status === "UNASSIGNED" && expiresAt) {
        const ms = Date.parse(expiresAt);
        if (!Number.isNaN(ms)) {
          if (earliest === null || ms < earliest.ms) earliest = { ms, at: expiresAt };
          if (latest === null || ms > latest.ms) latest = { ms, at: expiresAt };
        }
      }
      if (query.includeCodes) {
        codes.push({
          uniqueCode: code.attributes.unique_code ?? "",
          status: status ?? null,
          expiresAt: expiresAt ?? null,
          profileId: code.relationships?.profile?.data?.id ?? null,
        });
      }
    }
  }
  const result: CouponCodeAvailability = {
    couponId: query.couponId,
    filters: { status: query.status, expiresAfter: query.expiresAfter, expiresBefore: query.expiresBefore },
    total,
    counts,
    unassigned: counts.UNASSIGNED,
    earliestUnassignedExpiry: earliest?.at ?? null,
    latestUnassignedExpiry: latest?.at ?? null,
  };
  if (query.includeCodes) result.codes = codes;
  return result;
}

/**
 * Counts a coupon's codes per status, with the earliest and latest expiry among the unassigned ones.
 *
 * The coupon, status and expiry conditions are sent as Klaviyo filters (`equals(coupon.id,...)`,
 * `equals(status,...)`, `greater-or-equal(expires_at,after)`, `less-than(expires_at,before)`), so only
 * matching codes are transferred; codes without an expiry never match an expiry bound. Codes are
 * returned only when `includeCodes` is set.
 *
 * @example
 * ```ts
 * const a = await getCouponCodeAvailability({ couponId: "SPRING10", expiresAfter: "2026-06-01" });
 * console.log(a.unassigned, a.earliestUnassignedExpiry);
 * ```
 *
 * @param query - Coupon and optional filters.
 * @param clientOrOptions - A client, client options, or nothing to use `KLAVIYO_API_KEY` (and
 *   `KLAVIYO_BASE_URL`, `KLAVIYO_REVISION`) from the environment.
 * @param controls - Progress callback; whether to check that the coupon exists (default true).
 * @throws TypeError on an invalid query (before any request); a `KlaviyoError` when a call fails
 *   (404 for an unknown coupon).
 */
export async function getCouponCodeAvailability(
  query: AvailabilityQuery,
  clientOrOptions?: KlaviyoClient | KlaviyoClientOptions,
  controls: ListingControls = {},
): Promise<CouponCodeAvailability> {
  const normalized = normalizeAvailabilityQuery(query);
  const client = resolveAvailabilityClient(clientOrOptions);
  if (controls.checkCoupon !== false)
    await client.getCoupon(normalized.couponId, { fields: ["external_id"] });
  return countCouponCodes(client, normalized, controls);
}

/**
 * Explains why stock is too low, or returns null when `unassigned >= minUnassigned`.
 *
 * @param availability - A count.
 * @param minUnassigned - The least acceptable number of unassigned codes.
 */
export function lowStockMessage(availability: CouponCodeAvailability, minUnassigned: number): string | null {
  if (availability.unassigned >= minUnassigned) return null;
  const { expiresAfter, expiresBefore } = availability.filters;
  const window = [
    expiresAfter === null ? "" : ` expiring at or after ${expiresAfter}`,
    expiresBefore === null ? "" : `${expiresAfter === null ? "" : " and"} expiring before ${expiresBefore}`,
  ].join("");
  const noun = availability.unassigned === 1 ? "code" : "codes";
  return (
    `Coupon "${availability.couponId}" has ${availability.unassigned} unassigned ${noun}${window}, ` +
    `below the minimum of ${minUnassigned}.`
  );
}

/**
 * Checks a threshold: a non-negative integer.
 *
 * @param name - Option name for the message.
 * @param value - The threshold.
 * @throws TypeError when it is not a non-negative integer.
 */
export function checkMinUnassigned(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}
