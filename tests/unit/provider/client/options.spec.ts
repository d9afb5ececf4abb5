import { strict as assert } from "assert";
import { normalizeBaseUrl, resolveOptions } from "../../../../provider/client/options";
import { createKlaviyoClient, DEFAULT_BASE_URL, DEFAULT_REVISION } from "../../../../provider/client";

describe("options", () => {
  describe("normalizeBaseUrl", () => {
    it("accepts https and adds a trailing slash", () => {
      assert.equal(normalizeBaseUrl("https://a.klaviyo.com"), "https://a.klaviyo.com/");
      assert.equal(normalizeBaseUrl("https://proxy.example/klaviyo"), "https://proxy.example/klaviyo/");
    });

    it("accepts http only for loopback hosts", () => {
      assert.equal(normalizeBaseUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
      assert.equal(normalizeBaseUrl("http://localhost:1"), "http://localhost:1/");
      assert.equal(normalizeBaseUrl("http://[::1]:1/"), "http://[::1]:1/");
      assert.throws(() => normalizeBaseUrl("http://a.klaviyo.com"), TypeError);
      assert.throws(() => normalizeBaseUrl("http://127.0.0.1.evil.example"), TypeError);
      assert.throws(() => normalizeBaseUrl("ftp://127.0.0.1"), TypeError);
    });

    it("rejects relative URLs, credentials, queries and fragments", () => {
      for (const bad of [
        "a.klaviyo.com",
        "https://u:p@a.klaviyo.com",
        "https://a.klaviyo.com/?x=1",
        "https://a.klaviyo.com/#x",
      ]) {
        assert.throws(() => normalizeBaseUrl(bad), TypeError, bad);
      }
    });
  });

  describe("resolveOptions", () => {
    it("applies the documented defaults", () => {
      const o = resolveOptions({ apiKey: "pk_x" });
      assert.equal(DEFAULT_BASE_URL, "https://a.klaviyo.com");
      assert.equal(o.baseUrl, "https://a.klaviyo.com/");
      assert.equal(o.revision, DEFAULT_REVISION);
      assert.equal(o.revision, "2026-07-15");
      assert.equal(o.rateLimitEnabled, true);
      assert.equal(o.scale, 1);
      assert.deepEqual(o.retry, {
        maxAttempts: 5,
        baseDelayMs: 500,
        maxDelayMs: 20_000,
        maxRateLimitRetries: 20,
        maxWaitMs: 60_000,
        maxTotalWaitMs: 600_000,
      });
      assert.equal(o.onWait, undefined, "undefined means the default notice");
    });

    it("rejects invalid values without echoing the key", () => {
      const key = "pk_secret with space";
      assert.throws(
        () => resolveOptions({ apiKey: key }),
        (e: Error) => e instanceof TypeError && !e.message.includes("secret"),
      );
      assert.throws(() => resolveOptions({ apiKey: "" }), TypeError);
      assert.throws(() => resolveOptions({ apiKey: "k", retry: { maxAttempts: 0 } }), TypeError);
      assert.throws(() => resolveOptions({ apiKey: "k", rateLimit: { scale: 0 } }), TypeError);
      assert.throws(() => resolveOptions({ apiKey: "k", revision: "latest" }), TypeError);
      assert.throws(() => resolveOptions({ apiKey: "k", timeoutMs: -1 }), TypeError);
    });

    it("refuses waits and timeouts Node's 32-bit timers cannot hold, and a non-function onWait", () => {
      const max = 2 ** 31 - 1;
      assert.equal(resolveOptions({ apiKey: "k", retry: { maxWaitMs: max } }).retry.maxWaitMs, max);
      assert.equal(resolveOptions({ apiKey: "k", timeoutMs: max }).timeoutMs, max);
      assert.throws(() => resolveOptions({ apiKey: "k", retry: { maxWaitMs: max + 1 } }), /maxWaitMs/);
      assert.throws(() => resolveOptions({ apiKey: "k", retry: { maxWaitMs: -1 } }), /maxWaitMs/);
      assert.throws(() => resolveOptions({ apiKey: "k", timeoutMs: 3_000_000_000 }), /timeoutMs/);
      assert.throws(() => resolveOptions({ apiKey: "k", retry: { maxTotalWaitMs: NaN } }), /maxTotalWaitMs/);
      const notAFunction = "log" as unknown as () => void;
      assert.throws(() => resolveOptions({ apiKey: "k", onWait: notAFunction }), /onWait must be a function/);
      const onWait = () => undefined;
      assert.equal(resolveOptions({ apiKey: "k", onWait }).onWait, onWait);
    });
  });

  describe("createKlaviyoClient", () => {
    it("rejects a plain-http non-loopback base URL", () => {
      assert.throws(() => createKlaviyoClient({ apiKey: "k", baseUrl: "http://example.com" }), TypeError);
    });

    it("refuses local misuse before any request", async () => {
      const client = createKlaviyoClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9" });
      await assert.rejects(client.bulkCreateCouponCodes([]), RangeError);
      const many = Array.from({ length: 1001 }, (_, i) => ({ couponId: "A", unique_code: `C${i}` }));
      await assert.rejects(client.bulkCreateCouponCodes(many), RangeError);
      await assert.rejects(client.getCoupon(""), TypeError);
      assert.throws(() => client.getCoupons({ pageSize: 101 }), RangeError);
      assert.throws(() => client.getCouponCodes({ filter: "" }), TypeError);
    });
  });
});
