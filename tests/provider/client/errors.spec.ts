import { strict as assert } from "assert";
import { inspect } from "util";
import { isKlaviyoError, klaviyoError, redact } from "../../../provider/client/errors";

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
    it("formats the message as Klaviyo <METHOD> <path> failed: <status> <title>: <detail>", () => {
      const err = klaviyoError(base);
      assert.equal(err.message, "Klaviyo GET /api/coupons/X failed: 404 Not Found: No coupon");
      assert.equal(err.name, "KlaviyoError");
      assert.ok(err instanceof Error);
      assert.ok(err.stack?.startsWith("KlaviyoError: Klaviyo GET"));
      assert.deepEqual(err.errors, []);
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
