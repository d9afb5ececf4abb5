import { strict as assert } from "assert";
import { DEFAULT_TEST_API_KEY } from "../../../emulator";
import { startTestEmulator, useTestEmulator } from "../../../testkit/emulator";
import { call, couponBody } from "../../../testkit/emulatorHttp";

describe("emulator transport", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  describe("authentication", () => {
    it("exports a pk_ test key that the emulator accepts by default", async () => {
      assert.match(DEFAULT_TEST_API_KEY, /^pk_/);
      assert.equal(
        (await call(emulator(), "GET", "/api/coupons", { apiKey: DEFAULT_TEST_API_KEY })).status,
        200,
      );
    });

    it("answers 401 when the Authorization header is missing", async () => {
      const result = await call(emulator(), "GET", "/api/coupons", { apiKey: null });
      assert.equal(result.status, 401);
      assert.equal(result.body.errors[0].code, "not_authenticated");
    });

    it("answers 401 when the key is unknown", async () => {
      const result = await call(emulator(), "GET", "/api/coupons", { apiKey: "pk_wrong" });
      assert.equal(result.status, 401);
      assert.match(result.body.errors[0].detail, /not valid/);
    });

    it("answers 401 when the scheme is not Klaviyo-API-Key", async () => {
      const bearer = `Bearer ${DEFAULT_TEST_API_KEY}`;
      assert.equal((await call(emulator(), "GET", "/api/coupons", { authorization: bearer })).status, 401);
    });

    it("accepts only the keys it was started with", async () => {
      const custom = await startTestEmulator({ apiKeys: ["pk_one", "pk_two"] });
      try {
        assert.equal(custom.apiKey, "pk_one");
        assert.equal((await call(custom, "GET", "/api/coupons", { apiKey: "pk_two" })).status, 200);
        assert.equal(
          (await call(custom, "GET", "/api/coupons", { apiKey: DEFAULT_TEST_API_KEY })).status,
          401,
        );
        custom.assertNoSpecViolations();
      } finally {
        await custom.close();
      }
    });
  });

  describe("revision header", () => {
    it("answers 400 with source.parameter revision when it is missing", async () => {
      const result = await call(emulator(), "GET", "/api/coupons", { revision: null });
      assert.equal(result.status, 400);
      assert.deepEqual(result.body.errors[0].source, { parameter: "revision" });
    });

    for (const bad of ["2026-7-15", "latest", "2026-07-15.", "2026-07-15.pre.x!", "20260715"]) {
      it(`answers 400 when it is malformed (${bad})`, async () => {
        assert.equal((await call(emulator(), "GET", "/api/coupons", { revision: bad })).status, 400);
      });
    }

    for (const good of ["2026-07-15", "2023-08-15.pre", "2024-02-15.beta"]) {
      it(`accepts ${good}`, async () => {
        assert.equal((await call(emulator(), "GET", "/api/coupons", { revision: good })).status, 200);
      });
    }
  });

  describe("paths", () => {
    it("serves paths with and without a trailing slash", async () => {
      const emu = emulator();
      assert.equal((await call(emu, "POST", "/api/coupons/", { body: couponBody("A") })).status, 201);
      assert.equal((await call(emu, "GET", "/api/coupons/A/")).status, 200);
      assert.equal((await call(emu, "GET", "/api/coupons/")).body.data.length, 1);
      assert.equal((await call(emu, "GET", "/api/coupons/A/relationships/coupon-codes/")).status, 200);
    });

    it("answers 404 for unknown paths and 405 for unsupported methods", async () => {
      const emu = emulator();
      assert.equal((await call(emu, "GET", "/api/profiles")).status, 404);
      const wrong = await call(emu, "PUT", "/api/coupons/A", { body: couponBody("A") });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.allow, "GET, PATCH, DELETE");
    });

    it("decodes percent-encoded ids after splitting the path", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("A/B C") });
      const result = await call(emu, "GET", `/api/coupons/${encodeURIComponent("A/B C")}`);
      assert.equal(result.body.data.id, "A/B C");
      assert.equal(result.body.data.links.self, `${emu.url}/api/coupons/A%2FB%20C`);
    });
  });

  describe("content types", () => {
    it("accepts application/json and application/vnd.api+json bodies", async () => {
      const emu = emulator();
      const json = await call(emu, "POST", "/api/coupons", {
        body: couponBody("J"),
        contentType: "application/json",
      });
      assert.equal(json.status, 201);
      const api = await call(emu, "POST", "/api/coupons", {
        body: couponBody("V"),
        contentType: "application/vnd.api+json; charset=utf-8",
      });
      assert.equal(api.status, 201);
      assert.equal(api.headers["content-type"], "application/vnd.api+json");
    });

    it("answers 415 for other media types and 400 for invalid JSON", async () => {
      const emu = emulator();
      const text = await call(emu, "POST", "/api/coupons", { rawBody: "x", contentType: "text/plain" });
      assert.equal(text.status, 415);
      const broken = await call(emu, "POST", "/api/coupons", {
        rawBody: "{",
        contentType: "application/json",
      });
      assert.equal(broken.status, 400);
      const empty = await call(emu, "POST", "/api/coupons", { rawBody: "" });
      assert.deepEqual(empty.body.errors[0].source, { pointer: "/data" });
    });
  });
});
