import { strict as assert } from "assert";
import {
  checkApiKey,
  checkBaseUrl,
  checkRevision,
  isLoopbackHost,
  resolveOptions,
  type SettingCheck,
} from "../../../../provider/client/options";
import { createKlaviyoClient, DEFAULT_BASE_URL, DEFAULT_REVISION } from "../../../../provider/client";

describe("options", () => {
  /** The normalised value, failing the test when the check refuses it. */
  function accepted(check: SettingCheck): string {
    if (!check.ok) assert.fail(check.problem);
    return check.value;
  }

  describe("checkBaseUrl", () => {
    it("accepts https and ends the URL in exactly one slash", () => {
      assert.equal(accepted(checkBaseUrl("https://a.klaviyo.com")), "https://a.klaviyo.com/");
      assert.equal(accepted(checkBaseUrl("https://proxy.example/klaviyo")), "https://proxy.example/klaviyo/");
      assert.equal(
        accepted(checkBaseUrl("https://proxy.example/klaviyo///")),
        "https://proxy.example/klaviyo/",
      );
    });

    it("accepts http only for loopback hosts", () => {
      assert.equal(accepted(checkBaseUrl("http://127.0.0.1:8080")), "http://127.0.0.1:8080/");
      assert.equal(accepted(checkBaseUrl("http://localhost:1")), "http://localhost:1/");
      assert.equal(accepted(checkBaseUrl("http://[::1]:1/")), "http://[::1]:1/");
      for (const bad of ["http://a.klaviyo.com", "http://127.0.0.1.evil.example", "ftp://127.0.0.1"]) {
        assert.equal(checkBaseUrl(bad).ok, false, bad);
      }
    });

    it("rejects relative URLs, credentials, queries and fragments, even empty ones", () => {
      for (const bad of [
        "a.klaviyo.com",
        "https://u:p@a.klaviyo.com",
        "https://a.klaviyo.com/?x=1",
        "https://a.klaviyo.com/#x",
        "https://a.klaviyo.com/?",
        "https://a.klaviyo.com/#",
        42,
      ]) {
        assert.equal(checkBaseUrl(bad).ok, false, String(bad));
      }
    });
  });

  describe("isLoopbackHost", () => {
    it("recognises loopback names and addresses only", () => {
      for (const h of ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]"])
        assert.ok(isLoopbackHost(h), h);
      for (const h of [
        "example.com",
        "10.0.0.1",
        "128.0.0.1",
        "localhost.example.com",
        "127.0.0.1.example",
      ]) {
        assert.ok(!isLoopbackHost(h), h);
      }
    });
  });

  describe("checkApiKey and checkRevision", () => {
    it("refuse what a header cannot carry and malformed revisions, never quoting a key", () => {
      for (const bad of ["", "pk has space", "pk\u00e9", "pk\u007f", undefined]) {
        const check = checkApiKey(bad);
        assert.equal(check.ok, false, String(bad));
        assert.equal(check.ok ? undefined : check.quoted, undefined);
      }
      assert.equal(accepted(checkApiKey("pk_ok")), "pk_ok");
      assert.equal(accepted(checkRevision("2026-07-15.pre")), "2026-07-15.pre");
      assert.deepEqual(checkRevision("latest"), {
        ok: false,
        problem: "must look like YYYY-MM-DD or YYYY-MM-DD.suffix",
        quoted: "latest",
      });
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

    it("names the option, with the same checks the settings use", () => {
      assert.throws(() => resolveOptions({ apiKey: "k", baseUrl: "http://example.com" }), {
        name: "TypeError",
        message: "Klaviyo client: baseUrl must use https (plain http is allowed only for loopback addresses)",
      });
      assert.throws(() => resolveOptions({ apiKey: "k", revision: "v3" }), {
        message: "Klaviyo client: revision must look like YYYY-MM-DD or YYYY-MM-DD.suffix",
      });
      assert.equal(
        resolveOptions({ apiKey: "k", baseUrl: "https://x.example/p//" }).baseUrl,
        "https://x.example/p/",
      );
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
