import { strict as assert } from "assert";
import {
  defaultOnWait,
  displayPath,
  formatSeconds,
  LONG_WAIT_MS,
  refuseWait,
  waitMessage,
  type WaitInfo,
} from "../../../../provider/client/waits";

/** Runs `fn` with console.error captured; returns the lines it wrote. */
function stderrOf(fn: () => void): string[] {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    fn();
  } finally {
    console.error = original;
  }
  return lines;
}

function info(extra: Partial<WaitInfo>): WaitInfo {
  const w = {
    reason: "retry-after" as const,
    status: 429,
    method: "GET",
    path: "/api/coupon-codes/{id}",
    operationId: "get_coupon_code",
    waitMs: 42_000,
    attempt: 1,
    waitedMs: 0,
    ...extra,
  };
  return { ...w, message: waitMessage(w) };
}

describe("waits", () => {
  describe("displayPath", () => {
    it("hides coupon-code ids, which contain the codes, and keeps everything else", () => {
      assert.equal(displayPath("api/coupon-codes/SUMMER-SECRET1"), "/api/coupon-codes/{id}");
      assert.equal(displayPath("api/coupon-codes/A%2FB-C/coupon"), "/api/coupon-codes/{id}/coupon");
      assert.equal(
        displayPath("proxy/api/coupon-codes/X-Y/relationships/coupon"),
        "/proxy/api/coupon-codes/{id}/relationships/coupon",
      );
      assert.equal(displayPath("api/coupon-codes"), "/api/coupon-codes");
      assert.equal(displayPath("api/coupons/SUMMER/coupon-codes"), "/api/coupons/SUMMER/coupon-codes");
      assert.equal(
        displayPath("api/coupon-code-bulk-create-jobs/J1"),
        "/api/coupon-code-bulk-create-jobs/J1",
      );
    });
  });

  describe("formatSeconds", () => {
    it("shows tenths below 10 s and whole seconds above, never rounding a wait down", () => {
      assert.equal(formatSeconds(42_000), "42");
      assert.equal(formatSeconds(1500), "1.5");
      assert.equal(formatSeconds(1000), "1");
      assert.equal(formatSeconds(0), "0");
      assert.equal(formatSeconds(10_001), "11");
      assert.equal(formatSeconds(3_000_000_000), "3000000");
    });
  });

  describe("refuseWait", () => {
    const limits = { maxWaitMs: 60_000, maxTotalWaitMs: 600_000 };

    it("refuses a server-requested wait above the single-wait maximum", () => {
      assert.equal(
        refuseWait(900_000, 0, limits, true),
        "Klaviyo asked to wait 900 s, more than the 60 s maximum",
      );
      assert.equal(refuseWait(60_000, 0, limits, true), undefined);
    });

    it("refuses a wait that would take the request past its total", () => {
      assert.equal(
        refuseWait(60_000, 590_000, limits, true),
        "Klaviyo asked to wait 60 s, but this request already waited 590 s and may wait at most 600 s in total",
      );
      assert.equal(
        refuseWait(20_000, 590_000, limits, false),
        "the next retry would wait 20 s, but this request already waited 590 s and may wait at most 600 s in total",
      );
      assert.equal(refuseWait(10_000, 590_000, limits, true), undefined);
    });
  });

  describe("defaultOnWait", () => {
    it("prints one line for a wait longer than 5 s, naming the reason without key or code", () => {
      assert.equal(LONG_WAIT_MS, 5000);
      assert.deepEqual(
        stderrOf(() => defaultOnWait(info({}))),
        ["[klaviyo] Klaviyo asked to wait 42 s (429 on GET /api/coupon-codes/{id}); waiting"],
      );
      assert.deepEqual(
        stderrOf(() =>
          defaultOnWait(info({ reason: "backoff", status: 0, code: "ECONNRESET", waitMs: 8000, attempt: 3 })),
        ),
        ["[klaviyo] waiting 8 s before retrying (ECONNRESET on GET /api/coupon-codes/{id}, attempt 3)"],
      );
    });

    it("stays silent for waits of 5 s or less", () => {
      assert.deepEqual(
        stderrOf(() => defaultOnWait(info({ waitMs: LONG_WAIT_MS }))),
        [],
      );
      assert.deepEqual(
        stderrOf(() => defaultOnWait(info({ reason: "backoff", status: 503, waitMs: 300 }))),
        [],
      );
    });
  });
});
