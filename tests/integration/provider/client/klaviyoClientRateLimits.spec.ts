import { strict as assert } from "assert";
import { createKlaviyoClient, isKlaviyoError, type RequestInfo } from "../../../../provider/client";
import { DEFAULT_TEST_API_KEY } from "../../../../emulator";
import { useTestEmulator } from "../../../../testkit/emulator";

const OTHER_KEY = "pk_emulator_other_key_for_unlimited_client_00";

describe("klaviyoClient rate limits", () => {
  // The emulator's real limits (scale 1), with jobs fast and parallel so 100 jobs never hit the
  // 100-active-jobs cap.
  const emulator = useTestEmulator({
    apiKeys: [DEFAULT_TEST_API_KEY, OTHER_KEY],
    rateLimits: { enabled: true, scale: 1 },
    jobs: { queuedMs: 0, processingMsPerJob: 1, processingMsPerCode: 0, concurrency: 100 },
  });

  function throttled(): number {
    return emulator()
      .control.requestLog()
      .filter((r) => r.status === 429).length;
  }

  describe("bulkCreateCouponCodes", () => {
    it("submits 100 jobs back to back without a single 429", async function () {
      this.timeout(30_000);
      const seen: RequestInfo[] = [];
      const { url, apiKey } = emulator();
      const client = createKlaviyoClient({ apiKey, baseUrl: url, onRequest: (i) => seen.push(i) });
      await client.createCoupon({ external_id: "HUNDRED" });
      const start = Date.now();
      const jobs = await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          client.bulkCreateCouponCodes([
            { couponId: "HUNDRED", unique_code: `J${j}A` },
            { couponId: "HUNDRED", unique_code: `J${j}B` },
          ]),
        ),
      );
      const elapsed = Date.now() - start;
      assert.equal(new Set(jobs.map((j) => j.id)).size, 100);
      assert.equal(throttled(), 0);
      assert.ok(seen.every((s) => s.status !== 429));
      assert.equal(seen.filter((s) => s.operationId === "bulk_create_coupon_codes").length, 100);
      // 75 fit in the first burst window; the other 25 wait for the next one.
      assert.ok(elapsed >= 1000, `100 jobs went out in ${elapsed} ms, faster than 75/s allows`);
      await emulator().control.waitForJobs();
      assert.equal(emulator().control.counts().codes, 200);
    });
  });

  describe("createCoupon", () => {
    it("shares one budget between clients with the same key and base URL", async function () {
      this.timeout(30_000);
      const { url, apiKey } = emulator();
      const a = createKlaviyoClient({ apiKey, baseUrl: url });
      const b = createKlaviyoClient({ apiKey, baseUrl: url });
      const start = Date.now();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).createCoupon({ external_id: `SHARED${i}` })),
      );
      const elapsed = Date.now() - start;
      assert.equal(throttled(), 0);
      // 3 per 1.1 s window: the 7th and 8th go out in the third window.
      assert.ok(elapsed >= 2200, `8 coupons in ${elapsed} ms`);
    });

    it("meets 429s from the server when the client-side limiter is off", async () => {
      const { url } = emulator();
      const client = createKlaviyoClient({
        apiKey: OTHER_KEY,
        baseUrl: url,
        rateLimit: { enabled: false },
        retry: { maxRateLimitRetries: 0 },
      });
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => client.createCoupon({ external_id: `UNLIMITED${i}` })),
      );
      const rejected = results
        .filter((r) => r.status === "rejected")
        .map((r) => (r as PromiseRejectedResult).reason);
      assert.ok(rejected.length >= 1, "expected the server to throttle a burst of 6");
      assert.ok(
        rejected.every((e) => isKlaviyoError(e) && e.status === 429 && e.retryAfterSeconds !== undefined),
      );
    });
  });

  describe("getCoupon", () => {
    it("paces to a scaled budget", async function () {
      this.timeout(30_000);
      emulator().control.configure({ rateLimits: { scale: 0.04 } });
      try {
        // A key whose L-tier budget this process has not spent yet (the limiter registry outlives tests).
        // L tier at scale 0.04: 3 per second and 30 per minute, on both sides.
        const client = createKlaviyoClient({
          apiKey: OTHER_KEY,
          baseUrl: emulator().url,
          rateLimit: { scale: 0.04 },
        });
        emulator().control.seedUiCoupon({ externalId: "SCALED" });
        const start = Date.now();
        await Promise.all(Array.from({ length: 7 }, () => client.getCoupon("SCALED")));
        assert.equal(throttled(), 0);
        assert.ok(Date.now() - start >= 2200);
      } finally {
        emulator().control.configure({ rateLimits: { scale: 1 } });
      }
    });
  });
});
