/**
 * What `klaviyo-coupons check-stock` prints: the JSON report, the table with its summary line, and the
 * line naming the low pools. Counts only: no code reaches this module.
 *
 * @packageDocumentation
 */
import { cellText, count, renderTable, type Column } from "../format";
import type { CouponStock, StockWindow } from "./count";

/** The `--json` output of `check-stock`. */
export interface StockReport {
  /** When the check started (ISO 8601, UTC): the "now" expiries were compared with. */
  checkedAt: string;
  /** `--expiring-within`, or null when it was not given. */
  expiringWithinDays: number | null;
  /** One entry per coupon, low pools first (emptiest first), then the others in the account's order. */
  coupons: CouponStock[];
  /** How many coupons are low: the command exits 3 when this is not 0. */
  low: number;
}

// Low pools named on the stderr line; the table and the JSON list them all.
const NAMED_LOW_POOLS = 5;

/**
 * Builds the report of a check.
 *
 * @param coupons - Rows from `checkStock`, already ordered.
 * @param window - The window the check used (its `nowMs` becomes `checkedAt`).
 * @param expiringWithinDays - `--expiring-within`, or null.
 */
export function stockReport(
  coupons: readonly CouponStock[],
  window: StockWindow,
  expiringWithinDays: number | null,
): StockReport {
  return {
    checkedAt: new Date(window.nowMs).toISOString(),
    expiringWithinDays,
    coupons: [...coupons],
    low: coupons.filter((c) => c.low).length,
  };
}

/**
 * The summary under the table, e.g. `2 of 14 coupons are low.`, with how many coupons have no
 * threshold at all, since those can never be reported low.
 *
 * @param report - A report.
 */
export function stockSummary(report: StockReport): string {
  const n = report.coupons.length;
  if (n === 0) return "No coupons.";
  const verb = report.low === 1 ? "is" : "are";
  const unwatched = report.coupons.filter((c) => c.threshold === null).length;
  const hint =
    unwatched === 0
      ? ""
      : `; ${unwatched} ${unwatched === 1 ? "has" : "have"} no threshold (no lowBalanceThreshold, no --min)`;
  return `${report.low} of ${n} ${n === 1 ? "coupon" : "coupons"} ${verb} low${hint}.`;
}

function thresholdCell(c: CouponStock): string {
  if (c.threshold === null) return "-";
  return c.thresholdSource === "min" ? `${count(c.threshold)} (--min)` : count(c.threshold);
}

function stateCell(c: CouponStock): string {
  if (c.threshold === null) return "no threshold";
  return c.low ? "LOW" : "ok";
}

/**
 * Renders a report as a table followed by its summary line. The EXPIRING SOON column appears only
 * when the check had an `--expiring-within` window.
 *
 * @param report - A report.
 */
export function stockTable(report: StockReport): string {
  if (report.coupons.length === 0) return `${stockSummary(report)}\n`;
  const soon = report.expiringWithinDays !== null;
  const columns: Column[] = [
    { header: "COUPON" },
    { header: "STOCK", right: true },
    ...(soon ? [{ header: "EXPIRING SOON", right: true }] : []),
    { header: "EXPIRED", right: true },
    { header: "ASSIGNED", right: true },
    { header: "USED", right: true },
    { header: "THRESHOLD", right: true },
    { header: "STATE" },
  ];
  const rows = report.coupons.map((c) => [
    c.couponId,
    count(c.stock),
    ...(soon ? [count(c.expiringSoon)] : []),
    count(c.expired),
    count(c.assigned),
    count(c.used),
    thresholdCell(c),
    stateCell(c),
  ]);
  return `${renderTable(columns, rows)}\n${stockSummary(report)}\n`;
}

/**
 * The stderr line of a failed check, naming the first low pools with their stock and threshold, e.g.
 * `2 of 14 coupons are low: SUMMER (12 < 50), SPRING10 (80 < 100)`; null when none is low.
 *
 * @param report - A report.
 */
export function lowStockLine(report: StockReport): string | null {
  const low = report.coupons.filter((c) => c.low);
  if (low.length === 0) return null;
  const named = low
    .slice(0, NAMED_LOW_POOLS)
    .map((c) => `${cellText(c.couponId)} (${count(c.stock)} < ${count(c.threshold ?? 0)})`);
  const more = low.length > NAMED_LOW_POOLS ? ` and ${low.length - NAMED_LOW_POOLS} more` : "";
  const n = report.coupons.length;
  const verb = low.length === 1 ? "is" : "are";
  return `${low.length} of ${n} ${n === 1 ? "coupon" : "coupons"} ${verb} low: ${named.join(", ")}${more}`;
}
