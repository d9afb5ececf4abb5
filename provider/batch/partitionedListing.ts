/**
 * Refresh's listing of a batch's codes: several disjoint `expires_at` windows walked at once instead of
 * one cursor walk over the whole coupon, then a by-id check of every code the state holds that no window
 * returned.
 *
 * Why it is complete for the state's codes: a window is `equals(coupon.id) and expires_at in [from,
 * until)` and the windows are contiguous, so a code whose expiry lies in the stored range is returned by
 * exactly one of them, and every state code that none returned (null expiry, expiry moved out of the range
 * or between windows during the walk, deleted, never created) is asked for by id (GET
 * /api/coupon-codes/{id}, 404 = gone). Correctness never rests on the windows or on how Klaviyo compares
 * date-times, only on that by-id check: bad windows cost time, not codes.
 *
 * Why only `expires_at`: `status` (the other filter besides coupon and profile) does not split a fresh
 * batch (every code is UNASSIGNED), so crossing it with the windows would multiply the requests (one
 * mostly empty listing per status and window, six statuses) without shortening the longest walk; and a
 * code assigned during the walk would hop between status listings like a code whose expiry changes.
 *
 * Codes of other batches on the same coupon are listed only when their expiry falls in this batch's range:
 * callers must not read the result as "every code of the coupon" (create and update keep
 * `listCouponCodes`).
 */
import { filter, isKlaviyoError, type KlaviyoClient } from "../client";
import { forEachLimit } from "../concurrency";
import { codeId } from "./codes";
import { listCouponCodes } from "./listing";
import { codeReader, fromCouponCode, type LiveCode } from "./mappers";

/** Knobs of the partitioned listing; {@link DEFAULT_LISTING_TUNING} holds the shipped values. */
export interface ListingTuning {
  /** Codes per listing page (the spec's maximum is 100). */
  pageSize: number;
  /** Most windows one listing is split into. */
  maxWindows: number;
  /** Fewest expected pages per window: a pool smaller than two windows' worth takes the single walk. */
  minPagesPerWindow: number;
  /** Most requests (window walks, then by-id checks) in flight at once. */
  concurrency: number;
  /** By-id checks always allowed before falling back to the single walk. */
  minByIdChecks: number;
  /** By-id checks never exceeded: more missing codes fall back to the single walk. */
  maxByIdChecks: number;
}

/**
 * The shipped tuning, for tier XL (350 per 1 s, 3,500 per 60 s; the client's shared limiter paces every
 * request, so these bound round trips in flight, not the rate):
 * - 32 windows: a window's last page is on average half empty, so the windows add about 16 requests to
 *   the 1,000 of 100,000 codes and stay inside the same three burst windows (1,050 requests).
 * - 4 pages per window at least: below 8 pages (800 codes) the single walk takes 8 round trips or fewer
 *   and splitting saves too little to be worth the extra requests.
 * - 32 in flight, every window at once: at 50 ms of latency one walk makes under 20 requests per second,
 *   so reaching the limiter's ~318 per second takes about 18 walks. Measured on 100,000 codes with 50 ms
 *   injected per listing request (emulator in another process): one walk 55 s, 16 in flight 6.2 s,
 *   32 in flight 3.8 s against a floor of 2.05 s.
 * - By-id checks: up to one per page of the pool (1% of its codes), at least 100 and at most 500. Each
 *   check is one XL request like a listing page, and falling back costs the whole walk again
 *   (pages requests, one after the other), so up to `pages` checks never cost more requests than the
 *   fallback and run 32 at a time; 100 always fit in one burst; 500 caps what a mass change out of band
 *   (thousands of codes deleted or re-dated) spends before the walk is simply repeated.
 */
export const DEFAULT_LISTING_TUNING: Readonly<ListingTuning> = {
  pageSize: 100,
  maxWindows: 32,
  minPagesPerWindow: 4,
  concurrency: 32,
  minByIdChecks: 100,
  maxByIdChecks: 500,
};

/** The earliest and latest expiry of the batch's codes, as the last apply or refresh stored them. */
export interface ExpiryRange {
  earliest: string;
  latest: string;
}

/** One listing: codes with `from <= expires_at < until` (ISO 8601 date-times, millisecond precision). */
export interface ExpiryWindow {
  from: string;
  until: string;
}

/** Why the single walk was chosen up front. */
export type SingleWalkReason = "small-pool" | "no-expiry-range" | "one-expiry" | "many-unconfirmed";

/** What {@link planListing} decided. */
export type ListingPlan =
  | { strategy: "single-walk"; reason: SingleWalkReason }
  | { strategy: "expiry-windows"; windows: ExpiryWindow[]; maxByIdChecks: number };

/** What the plan is made from: counts and the stored range only, never the codes. */
export interface ListingPlanInput {
  /** Codes the state says exist. */
  confirmedCodes: number;
  /** Codes drawn but never seen (`pendingCodes`): each one no window returns costs a by-id check. */
  unconfirmedCodes: number;
  /** The stored expiry range; null when unknown. */
  expiryRange: ExpiryRange | null;
}

// Date's own limit: a boundary past it could not be written as an ISO string.
const MAX_DATE_MS = 8.64e15;

/**
 * Plans the listing: contiguous half-open windows whose union is the stored range (widened by less than a
 * millisecond: `Date.parse` drops microseconds), or the single walk and why.
 */
export function planListing(
  input: ListingPlanInput,
  tuning: Readonly<ListingTuning> = DEFAULT_LISTING_TUNING,
): ListingPlan {
  const single = (reason: SingleWalkReason): ListingPlan => ({ strategy: "single-walk", reason });
  const pages = Math.ceil(input.confirmedCodes / tuning.pageSize);
  const byPages = Math.floor(pages / tuning.minPagesPerWindow);
  if (Math.min(byPages, tuning.maxWindows) < 2) return single("small-pool");
  const range = input.expiryRange;
  const start = range ? Date.parse(range.earliest) : NaN;
  const latest = range ? Date.parse(range.latest) : NaN;
  if (!(start >= -MAX_DATE_MS && latest < MAX_DATE_MS && start <= latest)) return single("no-expiry-range");
  if (start === latest) return single("one-expiry");
  const maxByIdChecks = Math.min(tuning.maxByIdChecks, Math.max(tuning.minByIdChecks, pages));
  // Pending codes are rarely in the range (a later upload gets a later default expiry): each would be a
  // by-id check, so a walk that would end in the fallback anyway is not started.
  if (input.unconfirmedCodes > maxByIdChecks) return single("many-unconfirmed");
  // `latest` keeps its microseconds, which Date.parse dropped: the last window ends a millisecond later.
  const end = latest + 1;
  const count = Math.min(byPages, tuning.maxWindows, end - start);
  const bound = (i: number) => new Date(start + Math.floor(((end - start) * i) / count)).toISOString();
  const windows: ExpiryWindow[] = [];
  for (let i = 0; i < count; i++) windows.push({ from: bound(i), until: bound(i + 1) });
  return { strategy: "expiry-windows", windows, maxByIdChecks };
}

/** The filter of one window's listing. */
export function windowFilter(couponId: string, window: ExpiryWindow): string {
  return filter.and(
    filter.equals("coupon.id", couponId),
    filter.greaterOrEqual("expires_at", window.from),
    filter.lessThan("expires_at", window.until),
  );
}

/** What refresh learned, and how (for a log line or a benchmark report; never any code). */
export interface StateCodeListing {
  /** Every state code that exists, with what Klaviyo says about it (other codes may be present too). */
  live: Map<string, LiveCode>;
  strategy: "single-walk" | "expiry-windows" | "expiry-windows-then-single-walk";
  /** Why the single walk ran (up front, or as the fallback); null for the windows alone. */
  reason: SingleWalkReason | "too-many-missing" | "ambiguous-id" | null;
  /** Windows walked (0 for the single walk alone). */
  windows: number;
  /** By-id requests made. */
  byIdChecks: number;
}

/** The state's codes and its stored expiry range. */
export interface StateCodes {
  codes: readonly string[];
  pendingCodes: readonly string[];
  expiryRange: ExpiryRange | null;
}

/**
 * Lists what Klaviyo says about the codes the state holds, as `listCouponCodes` would for those codes.
 *
 * @param tuning - Overrides of {@link DEFAULT_LISTING_TUNING} (tests).
 */
export async function listStateCodes(
  client: KlaviyoClient,
  couponId: string,
  state: StateCodes,
  tuning: Partial<ListingTuning> = {},
): Promise<StateCodeListing> {
  const t = { ...DEFAULT_LISTING_TUNING, ...tuning };
  const plan = planListing(
    {
      confirmedCodes: state.codes.length,
      unconfirmedCodes: state.pendingCodes.length,
      expiryRange: state.expiryRange,
    },
    t,
  );
  if (plan.strategy === "single-walk") {
    const live = await listCouponCodes(client, couponId);
    return { live, strategy: "single-walk", reason: plan.reason, windows: 0, byIdChecks: 0 };
  }
  const live = await walkWindows(client, couponId, plan.windows, t);
  const missing = [...new Set([...state.codes, ...state.pendingCodes])].filter((c) => !live.has(c));
  const done = { windows: plan.windows.length, byIdChecks: 0 };
  const fallback = async (reason: "too-many-missing" | "ambiguous-id"): Promise<StateCodeListing> => ({
    live: await listCouponCodes(client, couponId),
    strategy: "expiry-windows-then-single-walk",
    reason,
    ...done,
  });
  if (missing.length > plan.maxByIdChecks) return fallback("too-many-missing");
  const checked = await checkById(client, couponId, missing, t.concurrency, live);
  done.byIdChecks = checked.requests;
  if (!checked.resolved) return fallback("ambiguous-id");
  return { live, strategy: "expiry-windows", reason: null, ...done };
}

async function walkWindows(
  client: KlaviyoClient,
  couponId: string,
  windows: readonly ExpiryWindow[],
  t: Readonly<ListingTuning>,
): Promise<Map<string, LiveCode>> {
  const live = new Map<string, LiveCode>();
  const readCode = codeReader();
  await forEachLimit(windows, t.concurrency, async (window) => {
    const pages = client.getCouponCodes({ filter: windowFilter(couponId, window), pageSize: t.pageSize });
    for await (const page of pages) {
      for (const item of page.data) {
        // A code re-dated during the walk may come back from two windows: either answer is a true one.
        const read = readCode(item);
        if (read) live.set(read.code, read.live);
      }
    }
  });
  return live;
}

/**
 * Asks for each code by id, adding the ones that exist to `live`. Not `resolved` when an answer is not
 * plainly this coupon's code: the spec gives no escaping rule for ids (`A` + `B-C` and `A-B` + `C` are
 * both `A-B-C`), and only the single walk can then say what the coupon holds.
 */
async function checkById(
  client: KlaviyoClient,
  couponId: string,
  codes: readonly string[],
  concurrency: number,
  live: Map<string, LiveCode>,
): Promise<{ resolved: boolean; requests: number }> {
  let ambiguous = false;
  let requests = 0;
  await forEachLimit(codes, concurrency, async (code) => {
    if (ambiguous) return;
    requests++;
    try {
      const { data } = await client.getCouponCode(codeId(couponId, code));
      const read = fromCouponCode(data);
      const owner = data.relationships?.coupon?.data?.id;
      if (read?.code !== code || (owner !== undefined && owner !== couponId)) ambiguous = true;
      else live.set(code, read.live);
    } catch (err) {
      if (!(isKlaviyoError(err) && err.status === 404)) throw err;
    }
  });
  return { resolved: !ambiguous, requests };
}

/**
 * One line saying how refresh listed the codes (counts only), or undefined for a pool too small to
 * have been split, where the single walk is the only sensible choice and not worth a line.
 */
export function describeListing(listing: StateCodeListing): string | undefined {
  const reasons: Record<NonNullable<StateCodeListing["reason"]>, string> = {
    "small-pool": "the batch is small",
    "no-expiry-range": "no expiry range is known",
    "one-expiry": "the codes share one expiry",
    "many-unconfirmed": "too many pending codes to check by id",
    "too-many-missing": "too many codes were outside the windows to check by id",
    "ambiguous-id": "a code id did not name this coupon's code",
  };
  if (listing.reason === "small-pool") return undefined;
  const windows = `${listing.windows} expiry windows and ${listing.byIdChecks} codes checked by id`;
  if (listing.strategy === "expiry-windows") return `refresh listed the codes in ${windows}`;
  const why = listing.reason === null ? "" : ` (${reasons[listing.reason]})`;
  if (listing.strategy === "single-walk") return `refresh listed the codes in one walk${why}`;
  return `refresh listed the codes in ${windows}, then in one walk${why}`;
}
