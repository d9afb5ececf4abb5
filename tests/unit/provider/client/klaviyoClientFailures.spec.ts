import { strict as assert } from "assert";
import { inspect } from "util";
import {
  createKlaviyoClient,
  type KlaviyoClientOptions,
  type RequestInfo,
} from "../../../../provider/client";
import { failure } from "../../../../testkit/clientTestKit";
import { useTestEmulator } from "../../../../testkit/emulator";

describe("klaviyoClient failures", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });
  let seen: RequestInfo[];
  const clientWith = (extra: Partial<KlaviyoClientOptions> = {}) => {
    const { url, apiKey } = emulator();
    return createKlaviyoClient({
      apiKey,
      baseUrl: url,
      rateLimit: { scale: 10 },
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 },
      onRequest: (info) => seen.push(info),
      ...extra,
    });
  };
  beforeEach(() => {
    seen = [];
  });

  describe("429", () => {
    it("waits Retry-After seconds, then succeeds", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "RL" });
      emulator().control.injectFault({
        method: "GET",
        path: "/api/coupons/RL",
        status: 429,
        retryAfter: 1,
        count: 1,
      });
      seen = [];
      const start = Date.now();
      const coupon = await client.getCoupon("RL");
      const waited = Date.now() - start;
      assert.equal(coupon.id, "RL");
      assert.ok(waited >= 1000, `waited only ${waited} ms`);
      assert.ok(waited < 2500, `waited ${waited} ms`);
      assert.deepEqual(
        seen.map((s) => [s.status, s.attempt]),
        [
          [429, 1],
          [200, 2],
        ],
      );
    });

    it("does not count 429s against maxAttempts", async () => {
      const client = clientWith({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 } });
      await client.createCoupon({ external_id: "RL2" });
      emulator().control.injectFault({
        method: "GET",
        path: "/api/coupons/RL2",
        status: 429,
        retryAfter: 0,
        count: 3,
      });
      assert.equal((await client.getCoupon("RL2")).id, "RL2");
    });

    it("gives up after maxRateLimitRetries with the Retry-After value", async () => {
      const client = clientWith({
        retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5, maxRateLimitRetries: 1 },
      });
      emulator().control.injectFault({ path: "/api/coupons", status: 429, retryAfter: 0, count: 5 });
      const err = await failure(client.getCoupon("X"));
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 0);
      assert.equal(err.attempts, 2);
    });
  });

  describe("5xx", () => {
    it("retries a storm of 500 and 503 responses, then succeeds", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "STORM" });
      emulator().control.injectFault({ path: "/api/coupons/STORM", status: 500, count: 2 });
      emulator().control.injectFault({ path: "/api/coupons/STORM", status: 503, count: 2 });
      seen = [];
      const updated = await client.updateCoupon("STORM", { description: "after the storm" });
      assert.equal(updated.attributes.description, "after the storm");
      assert.deepEqual(
        seen.map((s) => s.status),
        [500, 500, 503, 503, 200],
      );
    });

    it("retries a POST answered by 503, since the server refused it", async () => {
      const client = clientWith();
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", status: 503, count: 2 });
      assert.equal((await client.createCoupon({ external_id: "AFTER503" })).id, "AFTER503");
      assert.equal(emulator().control.counts().coupons, 1);
    });

    it("throws a readable error when the storm outlasts maxAttempts", async () => {
      const client = clientWith({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } });
      emulator().control.injectFault({ path: "/api/coupons", status: 503, count: 10 });
      const err = await failure(client.getCoupon("LONGSTORM"));
      assert.equal(err.status, 503);
      assert.equal(err.attempts, 3);
      assert.equal(err.method, "GET");
      assert.equal(err.path, "/api/coupons/LONGSTORM");
      assert.match(
        err.message,
        /^Klaviyo GET \/api\/coupons\/LONGSTORM failed: 503 .+: .+ \(gave up after 3 attempts\)$/,
      );
      assert.equal(seen.length, 3);
    });
  });

  describe("4xx", () => {
    it("reports 401 for a wrong key and never reveals that key", async () => {
      const wrongKey = "pk_wrong_key_that_must_stay_secret_12345";
      const client = clientWith({ apiKey: wrongKey });
      const err = await failure(client.createCoupon({ external_id: "NOPE" }));
      assert.equal(err.status, 401);
      assert.equal(err.attempts, 1);
      assert.match(err.message, /^Klaviyo POST \/api\/coupons failed: 401 /);
      for (const text of [
        err.message,
        err.stack ?? "",
        JSON.stringify(err),
        inspect(err),
        inspect(err, { depth: 10, showHidden: true }),
        String(err),
      ]) {
        assert.ok(!text.includes(wrongKey), `key leaked into: ${text}`);
        assert.ok(!text.includes(emulator().apiKey));
      }
    });

    it("reports 404 for an unknown id with the Klaviyo error code", async () => {
      const client = clientWith();
      const err = await failure(client.getCouponCode("NOPE-NOPE"));
      assert.equal(err.status, 404);
      assert.equal(typeof err.code, "string");
      assert.ok(err.errors.length >= 1);
      assert.equal(seen.length, 1);
    });

    it("reports 409 for a duplicate coupon and a duplicate code", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "DUP" });
      const dupCoupon = await failure(client.createCoupon({ external_id: "DUP" }));
      assert.equal(dupCoupon.status, 409);
      assert.equal(dupCoupon.outcomeUnknown, undefined);
      await client.createCouponCode({ couponId: "DUP", unique_code: "SAME" });
      const dupCode = await failure(client.createCouponCode({ couponId: "DUP", unique_code: "SAME" }));
      assert.equal(dupCode.status, 409);
    });

    it("reports 409 when deleting a code assigned to a profile", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "ASSIGNED" });
      const code = await client.createCouponCode({ couponId: "ASSIGNED", unique_code: "P1" });
      emulator().control.assignCode(code.id, "01PROFILE");
      const read = await client.getCouponCode(code.id);
      assert.equal(read.data.attributes.status, "ASSIGNED_TO_PROFILE");
      assert.equal(read.data.relationships?.profile?.data?.id, "01PROFILE");
      assert.equal((await failure(client.deleteCouponCode(code.id))).status, 409);
    });
  });

  describe("lost responses", () => {
    it("does not re-send a POST whose response was dropped after processing", async () => {
      const client = clientWith();
      emulator().control.resetRequestLog();
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", dropAfterProcessing: true });
      const err = await failure(client.createCoupon({ external_id: "LOST" }));
      assert.equal(err.outcomeUnknown, true);
      assert.equal(err.status, 0);
      const posts = emulator()
        .control.requestLog()
        .filter((r) => r.method === "POST");
      assert.equal(posts.length, 1);
      // The caller can now look: the coupon was in fact created.
      assert.equal((await client.getCoupon("LOST")).id, "LOST");
    });

    it("retries a GET whose connection was dropped", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "DROPGET" });
      emulator().control.injectFault({ method: "GET", path: "/api/coupons/DROPGET", drop: true, count: 2 });
      assert.equal((await client.getCoupon("DROPGET")).id, "DROPGET");
      assert.deepEqual(
        seen.slice(-3).map((s) => s.status),
        [0, 0, 200],
      );
    });

    it("retries a DELETE whose response was dropped after processing, and reports the 404 that follows", async () => {
      const client = clientWith();
      await client.createCoupon({ external_id: "DROPDEL" });
      emulator().control.injectFault({
        method: "DELETE",
        path: "/api/coupons/DROPDEL",
        dropAfterProcessing: true,
      });
      const err = await failure(client.deleteCoupon("DROPDEL"));
      assert.equal(err.status, 404);
      assert.equal(err.attempts, 2);
    });
  });
});
