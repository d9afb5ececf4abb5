import { strict as assert } from "assert";
import type { Coupon, CouponCode, CouponCodeStatus } from "../../../provider/client";
import {
  DAY_MS,
  emptyStockCounts,
  lowFirst,
  stockWindow,
  tallyCodes,
  thresholdFor,
  type CouponStock,
} from "../../../bin/stock/count";
import { lowStockLine, stockReport, stockSummary, stockTable } from "../../../bin/stock/report";

const NOW = Date.parse("2026-06-01T12:00:00Z");

function code(status: CouponCodeStatus | null, expiresAt: string | null): CouponCode {
  return { type: "coupon-code", id: "C-X", attributes: { unique_code: null, status, expires_at: expiresAt } };
}

function coupon(monitor: Record<string, unknown> | null): Coupon {
  return {
    type: "coupon",
    id: "C",
    attributes: { external_id: "C", description: null, monitor_configuration: monitor },
  };
}

function row(couponId: string, stock: number, threshold: number | null, extra: Partial<CouponStock> = {}) {
  const counts = { ...emptyStockCounts(), stock, total: stock };
  const source = threshold === null ? null : ("coupon" as const);
  const low = threshold !== null && stock < threshold;
  return { couponId, ...counts, threshold, thresholdSource: source, low, ...extra };
}

describe("stockCommand (counting and report)", () => {
  describe("tallyCodes", () => {
    it("counts an unassigned code expiring exactly now as expired and one at the window's end as stock", () => {
      const counts = emptyStockCounts();
      const window = stockWindow(NOW, 7);
      assert.equal(window.soonMs, NOW + 7 * DAY_MS);
      tallyCodes(
        counts,
        [
          code("UNASSIGNED", "2026-06-01T12:00:00Z"), // now: expired
          code("UNASSIGNED", "2026-06-01T12:00:01+00:00"), // just after now: soon
          code("UNASSIGNED", "2026-06-08T11:59:59Z"), // just before the window's end: soon
          code("UNASSIGNED", "2026-06-08T12:00:00Z"), // the window's end: stock
          code("UNASSIGNED", null), // never expires: stock
          code("UNASSIGNED", "not a date"), // unreadable: stock, not evidence of a gone code
        ],
        window,
      );
      assert.deepEqual(counts, { stock: 3, expiringSoon: 2, expired: 1, assigned: 0, used: 0, total: 6 });
      // Without a window, a code expiring exactly now is expired all the same.
      const plain = emptyStockCounts();
      tallyCodes(plain, [code("UNASSIGNED", "2026-06-01T12:00:00Z")], stockWindow(NOW, null));
      assert.deepEqual([plain.stock, plain.expired], [0, 1]);
    });

    it("counts codes of other statuses in the total only, whatever their expiry", () => {
      const counts = emptyStockCounts();
      tallyCodes(
        counts,
        [
          code("ASSIGNED_TO_PROFILE", "2020-01-01T00:00:00Z"),
          code("USED", null),
          code("PROCESSING", "2030-01-01T00:00:00Z"),
          code(null, "2030-01-01T00:00:00Z"),
        ],
        stockWindow(NOW, null),
      );
      assert.deepEqual(counts, { stock: 0, expiringSoon: 0, expired: 0, assigned: 1, used: 1, total: 4 });
    });

    it("has no expiring-soon codes without a window", () => {
      const counts = emptyStockCounts();
      tallyCodes(counts, [code("UNASSIGNED", "2026-06-01T12:00:01Z")], stockWindow(NOW, null));
      assert.deepEqual([counts.stock, counts.expiringSoon], [1, 0]);
    });
  });

  describe("thresholdFor", () => {
    it("prefers the coupon's own threshold, even 0, to --min, and has none without either", () => {
      assert.deepEqual(thresholdFor(coupon({ low_balance_threshold: 0 }), 50), {
        threshold: 0,
        thresholdSource: "coupon",
      });
      assert.deepEqual(thresholdFor(coupon(null), 50), { threshold: 50, thresholdSource: "min" });
      assert.deepEqual(thresholdFor(coupon({}), undefined), { threshold: null, thresholdSource: null });
    });
  });

  describe("lowFirst", () => {
    it("puts low pools first, emptiest first, and keeps the order of the others", () => {
      const rows = [row("A", 50, 10), row("B", 8, 10), row("C", 1, null), row("D", 2, 10), row("E", 9, 5)];
      assert.deepEqual(
        lowFirst(rows).map((r) => r.couponId),
        ["D", "B", "A", "C", "E"],
      );
    });
  });

  describe("stockSummary", () => {
    it("agrees in number and mentions coupons without a threshold", () => {
      const window = stockWindow(NOW, null);
      const one = stockReport([row("A", 1, 5)], window, null);
      assert.equal(stockSummary(one), "1 of 1 coupon is low.");
      const many = stockReport([row("A", 1, 5), row("B", 1, null), row("C", 1, null)], window, null);
      assert.equal(
        stockSummary(many),
        "1 of 3 coupons is low; 2 have no threshold (no lowBalanceThreshold, no --min).",
      );
    });
  });

  describe("stockTable", () => {
    it("shows EXPIRING SOON only with a window, --min thresholds as such, and cleans control characters", () => {
      const rows = [row("A\nB", 1_500, 2_000, { expiringSoon: 3, thresholdSource: "min" })];
      const plain = stockTable(stockReport(rows, stockWindow(NOW, null), null));
      assert.equal(
        plain,
        "COUPON  STOCK  EXPIRED  ASSIGNED  USED      THRESHOLD  STATE\n" +
          "A B     1,500        0         0     0  2,000 (--min)  LOW\n\n" +
          "1 of 1 coupon is low.\n",
      );
      const soon = stockTable(stockReport(rows, stockWindow(NOW, 3), 3));
      assert.match(soon, /^COUPON {2}STOCK {2}EXPIRING SOON {2}EXPIRED/);
      assert.match(soon, /^A B {5}1,500 {14}3 {8}0/m);
    });
  });

  describe("lowStockLine", () => {
    it("names the first five low pools with stock and threshold, and counts the rest", () => {
      const rows = Array.from({ length: 7 }, (_, i) => row(`P${i}`, i, 10));
      const line = lowStockLine(stockReport([...rows, row("OK", 20, 10)], stockWindow(NOW, null), null));
      assert.equal(
        line,
        "7 of 8 coupons are low: P0 (0 < 10), P1 (1 < 10), P2 (2 < 10), P3 (3 < 10), P4 (4 < 10) and 2 more",
      );
      assert.equal(lowStockLine(stockReport([row("OK", 20, 10)], stockWindow(NOW, null), null)), null);
    });
  });
});
