/**
 * Issue 11, item 3: a large Retry-After must not stall a request for long (one wait is capped, and so is
 * the total of a request's waits), and a long wait must be announced. Timer overflows: timerOverflow.spec.ts.
 */
import { strict as assert } from "assert";
import {
  createKlaviyoClient,
  OPERATIONS,
  type KlaviyoClientOptions,
  type WaitInfo,
} from "../../../../provider/client";
import { createHttp, type HttpSettings } from "../../../../provider/client/http";
import type { AttemptResult, Transport } from "../../../../provider/client/transport";
import { failure } from "../../../../testkit/clientTestKit";
import { useTestEmulator } from "../../../../testkit/emulator";
import { couponResource, rateLimited, startStub, type Stub } from "../../../../testkit/stubServer";

describe("klaviyoClient long waits", () => {
  describe("Retry-After from the emulator", () => {
    const emulator = useTestEmulator({ rateLimits: { enabled: false } });
    const clientWith = (extra: Partial<KlaviyoClientOptions> = {}) =>
      createKlaviyoClient({ apiKey: emulator().apiKey, baseUrl: emulator().url, ...extra });

    it("fails at once when Klaviyo asks for longer than maxWaitMs (default 60 s)", async function () {
      this.timeout(5000);
      const client = clientWith();
      await client.createCoupon({ external_id: "BIG" });
      const inject = { method: "GET", path: "/api/coupons/BIG", status: 429, count: 1 };
      emulator().control.injectFault({ ...inject, retryAfter: 900 });
      const start = Date.now();
      const err = await failure(client.getCoupon("BIG"));
      assert.ok(Date.now() - start < 2000, `took ${Date.now() - start} ms`);
      assert.match(
        err.message,
        /^Klaviyo GET \/api\/coupons\/BIG failed: 429 [^:]+: .+ \(Klaviyo asked to wait 900 s, more than the 60 s maximum\)$/,
      );
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 900);
      assert.equal(err.attempts, 1);
      assert.ok(!err.message.includes(emulator().apiKey));
    });

    it("honours a smaller maxWaitMs", async function () {
      this.timeout(5000);
      const client = clientWith({ retry: { maxWaitMs: 1500 } });
      await client.createCoupon({ external_id: "SMALLCAP" });
      emulator().control.injectFault({
        method: "GET",
        path: "/api/coupons/SMALLCAP",
        status: 429,
        retryAfter: 2,
      });
      const err = await failure(client.getCoupon("SMALLCAP"));
      assert.match(err.message, /\(Klaviyo asked to wait 2 s, more than the 1\.5 s maximum\)$/);
    });

    it("bounds the total time one request waits across its retries (maxTotalWaitMs)", async function () {
      this.timeout(10_000);
      const client = clientWith({ retry: { maxWaitMs: 2000, maxTotalWaitMs: 1500 } });
      await client.createCoupon({ external_id: "TOTAL" });
      const fault = { method: "GET", path: "/api/coupons/TOTAL", status: 429, retryAfter: 1, count: 3 };
      emulator().control.injectFault(fault);
      const start = Date.now();
      const err = await failure(client.getCoupon("TOTAL"));
      const elapsed = Date.now() - start;
      assert.ok(elapsed >= 990 && elapsed < 2500, `took ${elapsed} ms`);
      assert.equal(err.attempts, 2);
      assert.match(
        err.message,
        /^Klaviyo GET \/api\/coupons\/TOTAL failed: 429 .*\(Klaviyo asked to wait 1 s, but this request already waited 1 s and may wait at most 1\.5 s in total\)$/,
      );
    });

    it("tells onWait before waiting, with the coupon-code id hidden", async function () {
      this.timeout(5000);
      const waits: WaitInfo[] = [];
      const client = clientWith({ onWait: (w) => waits.push(w) });
      await client.createCoupon({ external_id: "NOTICE" });
      const code = await client.createCouponCode({ couponId: "NOTICE", unique_code: "SECRETCODE42" });
      emulator().control.injectFault({
        method: "GET",
        path: "/api/coupon-codes/",
        status: 429,
        retryAfter: 1,
      });
      assert.equal((await client.getCouponCode(code.id)).data.id, code.id);
      assert.deepEqual(waits, [
        {
          reason: "retry-after",
          status: 429,
          method: "GET",
          path: "/api/coupon-codes/{id}",
          operationId: "get_coupon_code",
          waitMs: 1000,
          attempt: 1,
          waitedMs: 0,
          message: "Klaviyo asked to wait 1 s (429 on GET /api/coupon-codes/{id}); waiting",
        },
      ]);
      const text = JSON.stringify(waits);
      assert.ok(!text.includes("SECRETCODE42") && !text.includes(emulator().apiKey));
    });
  });

  describe("unreadable Retry-After", () => {
    let stub: Stub | undefined;
    afterEach(async () => {
      await stub?.close();
      stub = undefined;
    });

    it("treats a negative or garbage Retry-After as absent and backs off instead", async () => {
      const replies = [
        rateLimited("-5"),
        rateLimited("soon 5"),
        { status: 200, body: { data: couponResource("G") } },
      ];
      stub = await startStub((_req, i) => replies[i]);
      const waits: WaitInfo[] = [];
      const client = createKlaviyoClient({
        apiKey: "pk_stub_long_wait_key",
        baseUrl: stub.url,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        onWait: (w) => waits.push(w),
      });
      assert.equal((await client.getCoupon("G")).id, "G");
      assert.deepEqual(
        waits.map((w) => [w.reason, w.status, w.attempt]),
        [
          ["backoff", 429, 1],
          ["backoff", 429, 2],
        ],
      );
    });
  });

  describe("waits inside the client", () => {
    const OK = { kind: "response", status: 200, statusText: "OK", headers: {}, text: "" } as const;
    function httpWith(replies: AttemptResult[], extra: Partial<HttpSettings> = {}) {
      const slept: number[] = [];
      const transport: Transport = { send: async () => replies.shift() ?? OK, destroy: () => undefined };
      const http = createHttp({
        baseUrl: "http://127.0.0.1:9/",
        secrets: ["pk_secret"],
        transport,
        limiter: undefined,
        scale: 1,
        retry: {
          maxAttempts: 5,
          baseDelayMs: 1_000_000,
          maxDelayMs: 1_000_000,
          maxRateLimitRetries: 5,
          maxWaitMs: 60_000,
          maxTotalWaitMs: 600_000,
        },
        sleep: async (ms) => void slept.push(ms),
        ...extra,
      });
      return { http, slept };
    }
    const tooMany = (retryAfter: string): AttemptResult => ({
      kind: "response",
      status: 429,
      statusText: "Too Many Requests",
      headers: { "retry-after": retryAfter },
      text: "",
    });

    it("prints one line to stderr before a wait longer than 5 s, by default", async () => {
      const { http, slept } = httpWith([tooMany("42"), tooMany("2")]);
      const lines: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
      try {
        const op = OPERATIONS.getCouponCode;
        await http.request({ op, path: "api/coupon-codes/SUMMER-SECRETCODE42" });
      } finally {
        console.error = original;
      }
      assert.deepEqual(slept, [42_000, 2000]);
      assert.deepEqual(lines, [
        "[klaviyo] Klaviyo asked to wait 42 s (429 on GET /api/coupon-codes/{id}); waiting",
      ]);
    });

    it("never backs off longer than maxWaitMs", async () => {
      const unavailable: AttemptResult = {
        kind: "response",
        status: 503,
        statusText: "Service Unavailable",
        headers: {},
        text: "",
      };
      const { http, slept } = httpWith([unavailable, unavailable, unavailable], {
        onWait: () => undefined,
        retry: {
          maxAttempts: 5,
          baseDelayMs: 1e6,
          maxDelayMs: 1e6,
          maxRateLimitRetries: 5,
          maxWaitMs: 50,
          maxTotalWaitMs: 1e6,
        },
      });
      await http.request({ op: OPERATIONS.getCoupon, path: "api/coupons/X" });
      assert.equal(slept.length, 3);
      assert.ok(
        slept.every((ms) => ms <= 50),
        `slept ${slept.join(", ")} ms`,
      );
    });
  });
});
