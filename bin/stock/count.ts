/**
 * The counting behind `klaviyo-coupons check-stock`: each coupon's codes listed once (status and expiry
 * only, never the code itself), sorted into stock, expiring soon and expired, and compared with the
 * coupon's threshold.
 *
 * @packageDocumentation
 */
import { listMatchingCouponCodes } from "../../provider/availability/counting";
import { normalizeAvailabilityQuery } from "../../provider/availability/query";
import type { Coupon, CouponCode, KlaviyoClient } from "../../provider/client";
import { forEachLimit } from "../../provider/concurrency";
import { thresholdOf } from "../../provider/coupon/mappers";
import { listCoupons } from "../couponsCommand";

// Coupons counted at once, as `coupons` does: enough to overlap round trips, while the client's limiter
// keeps the pace of the listing tier.
const PARALLEL_COUPONS = 4;

/** Milliseconds in one day of `--expiring-within`. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The instants a check compares expiries with. */
export interface StockWindow {
  /** The time of the check (epoch ms): codes expiring at or before it are expired. */
  nowMs: number;
  /**
   * End of the "expiring soon" window (epoch ms, exclusive): unassigned codes expiring after `nowMs` and
   * before it are not stock. Equal to `nowMs` when no window was asked for.
   */
  soonMs: number;
}

/** One coupon's codes, sorted the way the stock check reads them. */
export interface StockCounts {
  /** UNASSIGNED codes without an expiry or expiring at or after the window's end: what can still be sent. */
  stock: number;
  /** UNASSIGNED codes expiring after now and before the window's end (0 without `--expiring-within`). */
  expiringSoon: number;
  /** UNASSIGNED codes whose expiry is now or past: Klaviyo still lists them, but they cannot be sent. */
  expired: number;
  /** Codes with status ASSIGNED_TO_PROFILE. */
  assigned: number;
  /** Codes with status USED. */
  used: number;
  /** Every code of the coupon, whatever its status (PROCESSING, DELETING, ... included). */
  total: number;
}

/** Where a coupon's threshold came from: its own lowBalanceThreshold, `--min`, or neither (null). */
export type ThresholdSource = "coupon" | "min";

/** One coupon's line of the report. */
export interface CouponStock extends StockCounts {
  /** The coupon (its external_id). */
  couponId: string;
  /** The threshold stock is compared with, or null when the coupon has none and no `--min` was given. */
  threshold: number | null;
  /** Where `threshold` came from; null when there is none. */
  thresholdSource: ThresholdSource | null;
  /** True when `stock < threshold`; never true without a threshold. */
  low: boolean;
}

/** Progress of {@link checkStock}, after each page of codes and each finished coupon. */
export interface StockProgress {
  /** Coupons fully counted. */
  finished: number;
  /** Coupons to count. */
  of: number;
  /** Codes listed so far, over every coupon. */
  codes: number;
}

/**
 * Builds the window of a check.
 *
 * @param nowMs - The time of the check (epoch ms).
 * @param expiringWithinDays - `--expiring-within`, or null for no window.
 */
export function stockWindow(nowMs: number, expiringWithinDays: number | null): StockWindow {
  return { nowMs, soonMs: nowMs + (expiringWithinDays ?? 0) * DAY_MS };
}

/** An empty tally. */
export function emptyStockCounts(): StockCounts {
  return { stock: 0, expiringSoon: 0, expired: 0, assigned: 0, used: 0, total: 0 };
}

/**
 * Adds one page of codes to a tally.
 *
 * @param counts - The tally, updated in place.
 * @param codes - Codes as the listing returns them (only `status` and `expires_at` are read).
 * @param window - The instants expiries are compared with.
 */
export function tallyCodes(counts: StockCounts, codes: readonly CouponCode[], window: StockWindow): void {
  for (const code of codes) {
    const { status, expires_at: expiresAt } = code.attributes;
    counts.total++;
    if (status === "ASSIGNED_TO_PROFILE") counts.assigned++;
    else if (status === "USED") counts.used++;
    if (status !== "UNASSIGNED") continue;
    // No expiry, or one that cannot be read, counts as stock: an alert is for pools running dry, and a
    // date Klaviyo wrote oddly is no evidence that a code is gone.
    const ms = expiresAt ? Date.parse(expiresAt) : NaN;
    if (Number.isNaN(ms)) counts.stock++;
    else if (ms <= window.nowMs) counts.expired++;
    else if (ms >= window.soonMs) counts.stock++;
    else counts.expiringSoon++;
  }
}

/**
 * Picks the threshold of a coupon: its own lowBalanceThreshold (Klaviyo's `monitor_configuration`), else
 * `--min`, else none.
 *
 * @param coupon - The coupon as Klaviyo returned it.
 * @param min - `--min`, or undefined.
 */
export function thresholdFor(
  coupon: Coupon,
  min: number | undefined,
): Pick<CouponStock, "threshold" | "thresholdSource"> {
  const own = thresholdOf(coupon);
  if (own !== null) return { threshold: own, thresholdSource: "coupon" };
  if (min !== undefined) return { threshold: min, thresholdSource: "min" };
  return { threshold: null, thresholdSource: null };
}

/**
 * Orders a report: low pools first, emptiest first, then the others in the order they came (the
 * account's order, or the order of `--coupon`).
 *
 * @param rows - Coupons of the report.
 */
export function lowFirst(rows: readonly CouponStock[]): CouponStock[] {
  // Array.prototype.sort is stable, so the rest keep their order.
  return [...rows].sort((a, b) => Number(b.low) - Number(a.low) || (a.low ? a.stock - b.stock : 0));
}

/**
 * Reads the coupons to check: every coupon of the account (GET /api/coupons, 100 per page), or the
 * given ones (GET /api/coupons/{id} each, so a mistyped id fails with Klaviyo's 404 instead of
 * reporting an empty pool).
 *
 * @param client - Klaviyo client.
 * @param ids - `--coupon` values, or empty for every coupon.
 */
export async function readCoupons(client: KlaviyoClient, ids: readonly string[]): Promise<Coupon[]> {
  const coupons: Coupon[] = [];
  if (ids.length > 0) {
    for (const id of ids) coupons.push(await client.getCoupon(id));
    return coupons;
  }
  return listCoupons(client);
}

/** What {@link checkStock} needs besides the client and the coupons. */
export interface StockCheckOptions {
  /** The instants expiries are compared with. */
  window: StockWindow;
  /** `--min`: the threshold of coupons without their own. */
  min?: number;
  /** Called after each page and each coupon. */
  onProgress?: (progress: StockProgress) => void;
}

/**
 * Counts every coupon's codes, a few coupons at a time, and compares each stock with its threshold.
 *
 * @param client - Klaviyo client (its rate limiter paces the listings).
 * @param coupons - Coupons from {@link readCoupons}.
 * @param options - Window, `--min` and progress.
 * @returns One line per coupon, ordered by {@link lowFirst}.
 * @throws The client's error when a listing fails; the coupons not started yet are then skipped.
 */
export async function checkStock(
  client: KlaviyoClient,
  coupons: readonly Coupon[],
  options: StockCheckOptions,
): Promise<CouponStock[]> {
  const rows: CouponStock[] = new Array(coupons.length);
  const progress: StockProgress = { finished: 0, of: coupons.length, codes: 0 };
  const report = () => options.onProgress?.({ ...progress });
  let failed = false;
  await forEachLimit(coupons, PARALLEL_COUPONS, async (coupon, index) => {
    // forEachLimit's other workers go on after a failure; the command has already failed, so stop them.
    if (failed) return;
    try {
      const counts = emptyStockCounts();
      const query = normalizeAvailabilityQuery({ couponId: coupon.id });
      for await (const page of listMatchingCouponCodes(client, query)) {
        tallyCodes(counts, page, options.window);
        progress.codes += page.length;
        report();
      }
      const threshold = thresholdFor(coupon, options.min);
      const low = threshold.threshold !== null && counts.stock < threshold.threshold;
      rows[index] = { couponId: coupon.id, ...counts, ...threshold, low };
      progress.finished++;
      report();
    } catch (e) {
      failed = true;
      throw e;
    }
  });
  return lowFirst(rows);
}
