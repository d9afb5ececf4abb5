import { strict as assert } from "assert";
import { inspect } from "util";
import { errorEntry, titleFor } from "../../../../emulator/failures";
import { createKlaviyoClient } from "../../../../provider/client";
import {
  isKlaviyoError,
  klaviyoError,
  redact,
  titleAndDetail,
  type KlaviyoError,
} from "../../../../provider/client/errors";
import { useTestEmulator } from "../../../../testkit/emulator";
import { failure } from "../../../../testkit/clientTestKit";

const base = {
  status: 404,
  code: "not_found",
  title: "Not Found",
  detail: "No coupon",
  method: "get",
  path: "api/coupons/X",
};

describe("errors", () => {
  describe("klaviyoError", () => {
    const emulator = useTestEmulator({ rateLimits: { enabled: true, scale: 0.0001 } });
    const client = (apiKey = emulator().apiKey) =>
      createKlaviyoClient({
        apiKey,
        baseUrl: emulator().url,
        rateLimit: { enabled: false },
        retry: { maxWaitMs: 0 },
        onWait: () => {},
      });

    it("formats the message as Klaviyo <METHOD> <path> failed: <status> <title>: <detail>", () => {
      const err = klaviyoError(base);
      assert.equal(err.message, "Klaviyo GET /api/coupons/X failed: 404 Not Found: No coupon");
      assert.equal(err.name, "KlaviyoError");
      assert.ok(err instanceof Error);
      assert.ok(err.stack?.startsWith("KlaviyoError: Klaviyo GET"));
      assert.deepEqual(err.errors, []);
    });

    it("drops the title's trailing period before the colon", () => {
      const entry = errorEntry(404, "A coupon with id 'X' does not exist.");
      const err = klaviyoError({ ...base, title: entry.title, detail: entry.detail });
      assert.equal(
        err.message,
        "Klaviyo GET /api/coupons/X failed: 404 Not found: A coupon with id 'X' does not exist.",
      );
      assert.equal(err.title, "Not found.", "the field keeps Klaviyo's title as sent");
    });

    it("prints only the detail when the detail already starts with the title", () => {
      const err = klaviyoError({
        ...base,
        status: 401,
        title: "Incorrect authentication credentials.",
        detail: "Incorrect authentication credentials: the private API key is not valid.",
      });
      assert.equal(
        err.message,
        "Klaviyo GET /api/coupons/X failed: 401 Incorrect authentication credentials: " +
          "the private API key is not valid.",
      );
    });

    it("leaves no dangling colon when the title or the detail is empty", () => {
      assert.equal(
        klaviyoError({ ...base, detail: "" }).message,
        "Klaviyo GET /api/coupons/X failed: 404 Not Found",
      );
      assert.equal(
        klaviyoError({ ...base, title: " " }).message,
        "Klaviyo GET /api/coupons/X failed: 404 No coupon",
      );
      assert.equal(
        klaviyoError({ ...base, title: "", detail: "" }).message,
        "Klaviyo GET /api/coupons/X failed: 404",
      );
    });

    it("prints every title the emulator uses cleanly, once, with no period before a colon", () => {
      const statuses = [400, 401, 403, 404, 405, 409, 413, 415, 418, 429, 500, 502, 503, 504];
      for (const status of statuses) {
        const injected = errorEntry(status, `Injected fault: the emulator answered ${status}.`);
        const message = klaviyoError({
          ...base,
          status,
          title: injected.title,
          detail: injected.detail,
        }).message;
        const title = titleFor(status).replace(/\.$/, "");
        assert.equal(
          message,
          `Klaviyo GET /api/coupons/X failed: ${status} ${title}: Injected fault: the emulator answered ${status}.`,
        );
        assert.doesNotMatch(message, /\.:|::/);
      }
    });

    it("strips an origin and a query string from the path", () => {
      const err = klaviyoError({ ...base, path: "https://a.klaviyo.com/api/coupons?page[cursor]=abc" });
      assert.equal(err.path, "/api/coupons");
      assert.ok(!err.message.includes("cursor"));
    });

    it("serializes only the documented fields", () => {
      const err = klaviyoError({
        ...base,
        errors: [{ code: "x", title: "t", detail: "d", source: { pointer: "/data" }, extra: "no" } as never],
        retryAfterSeconds: 3,
        outcomeUnknown: true,
        operationId: "get_coupon",
        attempts: 2,
      });
      const json = JSON.parse(JSON.stringify(err));
      assert.deepEqual(Object.keys(json).sort(), [
        "attempts",
        "code",
        "detail",
        "errors",
        "message",
        "method",
        "name",
        "operationId",
        "outcomeUnknown",
        "path",
        "retryAfterSeconds",
        "status",
        "title",
      ]);
      assert.deepEqual(json.errors, [{ code: "x", title: "t", detail: "d", source: { pointer: "/data" } }]);
    });

    it("shows its fields in util.inspect", () => {
      const text = inspect(klaviyoError(base));
      assert.match(text, /status: 404/);
      assert.match(text, /KlaviyoError/);
    });

    it("reads cleanly for Klaviyo's 404, 401 and 429 bodies", async () => {
      const notFound = await failure(client().getCoupon("NOPE"));
      assert.equal(
        notFound.message,
        "Klaviyo GET /api/coupons/NOPE failed: 404 Not found: A coupon with id 'NOPE' does not exist.",
      );
      const wrongKey = await failure(client("pk_wrong_0000000000000000000000000000").getCoupon("NOPE"));
      assert.equal(
        wrongKey.message,
        "Klaviyo GET /api/coupons/NOPE failed: 401 Incorrect authentication credentials: " +
          "the private API key is not valid.",
      );
      // This emulator allows one request a minute per tier, so one of the next few calls is throttled.
      let throttled: KlaviyoError | undefined;
      for (let i = 0; i < 5 && throttled === undefined; i++) {
        const err = await failure(client().getCoupon("NOPE"));
        if (err.status === 429) throttled = err;
      }
      assert.ok(throttled, "no call was throttled");
      assert.match(
        throttled.message,
        /^Klaviyo GET \/api\/coupons\/NOPE failed: 429 Request was throttled: over 1 requests per (second|minute) for this endpoint\. Expected available in \d+ second\(s\)\. \(Klaviyo asked to wait \d+ s, more than the 0 s maximum\)$/,
      );
    });
  });

  describe("titleAndDetail", () => {
    it("joins title and detail the way every Klaviyo body the emulator sends needs it", () => {
      const cases: Array<[string, string, string]> = [
        [
          "Request was throttled.",
          "Request was throttled: over 3 requests per second for this endpoint. Expected available in 1 second(s).",
          "Request was throttled: over 3 requests per second for this endpoint. Expected available in 1 second(s).",
        ],
        [
          "Authentication credentials were not provided.",
          "Missing private API key: send 'Authorization: Klaviyo-API-Key <key>'.",
          "Authentication credentials were not provided: Missing private API key: send 'Authorization: Klaviyo-API-Key <key>'.",
        ],
        [
          "Coupon code creation failed.",
          "Coupon code 'A1' could not be created (injected failure).",
          "Coupon code creation failed: Coupon code 'A1' could not be created (injected failure).",
        ],
        [
          "Invalid input.",
          "'type' must be 'coupon', got \"x\".",
          "Invalid input: 'type' must be 'coupon', got \"x\".",
        ],
        ["Not found.", "NOT FOUND.", "NOT FOUND."],
        [
          "Network error",
          "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1",
          "Network error: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1",
        ],
      ];
      for (const [title, detail, expected] of cases) assert.equal(titleAndDetail(title, detail), expected);
    });

    it("keeps the title when the detail only begins with the same letters", () => {
      assert.equal(titleAndDetail("Conflict.", "Conflicting expiry."), "Conflict: Conflicting expiry.");
    });
  });

  describe("isKlaviyoError", () => {
    it("recognises factory errors only", () => {
      assert.equal(isKlaviyoError(klaviyoError(base)), true);
      assert.equal(isKlaviyoError(Object.assign(new Error("x"), { name: "KlaviyoError", status: 1 })), false);
      assert.equal(isKlaviyoError({ ...klaviyoError(base) }), false);
      assert.equal(isKlaviyoError(undefined), false);
    });
  });

  describe("redact", () => {
    it("removes every occurrence of each secret", () => {
      assert.equal(redact("key pk_1 and pk_1 again", ["pk_1", ""]), "key [REDACTED] and [REDACTED] again");
    });
  });
});
