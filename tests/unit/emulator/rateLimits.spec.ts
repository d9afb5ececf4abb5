import { strict as assert } from "assert";
import { startTestEmulator, type TestEmulator } from "../../../testkit/emulator";
import { call, couponBody } from "../../../testkit/emulatorHttp";

describe("emulator rate limits", () => {
  let emu: TestEmulator;
  // A controllable wall clock: windows are aligned to real seconds/minutes, so tests pin the time.
  let now = 0;

  beforeEach(async () => {
    now = Date.UTC(2030, 0, 1, 12, 0, 0, 100);
    emu = await startTestEmulator({ clock: () => now });
  });

  afterEach(async () => {
    emu.assertNoSpecViolations();
    await emu.close();
  });

  describe("tier S (3/s, 60/m)", () => {
    it("answers the 4th coupon write in a second with 429 and an integer Retry-After", async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody(`C${i}`) })).status, 201);
      }
      now += 500;
      const limited = await call(emu, "POST", "/api/coupons", { body: couponBody("C3") });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers["retry-after"], "1");
      assert.equal(limited.body.errors[0].code, "throttled");
      assert.equal(limited.headers["ratelimit-limit"], undefined);
      assert.equal(emu.control.counts().coupons, 3);
      now += 400;
      assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody("C3") })).status, 201);
    });

    it("counts the minute window and answers Retry-After until the minute ends", async () => {
      for (let i = 0; i < 60; i++) {
        if (i % 3 === 0) now += 1000;
        const ok = await call(emu, "DELETE", `/api/coupons/NOPE${i}`);
        assert.equal(ok.status, 404);
      }
      now += 1000;
      const limited = await call(emu, "DELETE", "/api/coupons/X");
      assert.equal(limited.status, 429);
      // 12:00:21.1 -> the minute window resets at 12:01:00, 38.9 s later.
      assert.equal(limited.headers["retry-after"], "39");
    });

    it("sends RateLimit-Limit, -Remaining and -Reset for the steady window on other responses", async () => {
      const first = await call(emu, "POST", "/api/coupons", { body: couponBody("A") });
      assert.deepEqual(
        [
          first.headers["ratelimit-limit"],
          first.headers["ratelimit-remaining"],
          first.headers["ratelimit-reset"],
        ],
        ["60", "59", "60"],
      );
      const failed = await call(emu, "PATCH", "/api/coupons/A", { body: {} });
      assert.equal(failed.status, 400);
      assert.equal(failed.headers["ratelimit-remaining"], "58");
    });
  });

  describe("tiers", () => {
    it("limits per tier and per API key", async () => {
      const keys = await startTestEmulator({ clock: () => now, apiKeys: ["pk_a", "pk_b"] });
      try {
        for (let i = 0; i < 3; i++) await call(keys, "POST", "/api/coupons", { body: couponBody(`A${i}`) });
        assert.equal((await call(keys, "POST", "/api/coupons", { body: couponBody("A3") })).status, 429);
        assert.equal(
          (await call(keys, "POST", "/api/coupons", { body: couponBody("B0"), apiKey: "pk_b" })).status,
          201,
        );
        const read = await call(keys, "GET", "/api/coupons");
        assert.equal(read.status, 200);
        assert.equal(read.headers["ratelimit-limit"], "750");
        const codes = await call(keys, "GET", `/api/coupon-codes?filter=equals(coupon.id,"A0")`);
        assert.equal(codes.headers["ratelimit-limit"], "3500");
        keys.assertNoSpecViolations();
      } finally {
        await keys.close();
      }
    });

    it("answers the 76th read of a second in tier L with 429", async () => {
      for (let i = 0; i < 75; i++) assert.equal((await call(emu, "GET", "/api/coupons")).status, 200);
      assert.equal((await call(emu, "GET", "/api/coupons/A/relationships/coupon-codes")).status, 429);
    });
  });

  describe("settings", () => {
    it("multiplies limits by scale, changeable at run time", async () => {
      emu.control.configure({ rateLimits: { scale: 2 } });
      for (let i = 0; i < 6; i++) {
        assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody(`S${i}`) })).status, 201);
      }
      const limited = await call(emu, "POST", "/api/coupons", { body: couponBody("S6") });
      assert.equal(limited.status, 429);
      now += 1000;
      emu.control.configure({ rateLimits: { scale: 0.1 } });
      const scaled = await call(emu, "GET", "/api/coupons");
      assert.equal(scaled.headers["ratelimit-limit"], "75");
    });

    it("serves everything and sends no RateLimit headers when disabled", async () => {
      emu.control.configure({ rateLimits: { enabled: false } });
      for (let i = 0; i < 10; i++) {
        const result = await call(emu, "POST", "/api/coupons", { body: couponBody(`D${i}`) });
        assert.equal(result.status, 201);
        assert.equal(result.headers["ratelimit-limit"], undefined);
      }
    });

    it("counts throttled requests as requests but never applies them", async () => {
      for (let i = 0; i < 4; i++) await call(emu, "POST", "/api/coupons", { body: couponBody(`R${i}`) });
      assert.deepEqual(emu.control.counts(), { coupons: 3, codes: 0, jobs: 0, requests: 4 });
      assert.deepEqual(
        emu.control.requestLog().map((entry) => entry.status),
        [201, 201, 201, 429],
      );
    });
  });
});
