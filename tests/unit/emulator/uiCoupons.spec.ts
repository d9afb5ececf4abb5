import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, codeData, couponBody, jobBody, waitForJob } from "../../../testkit/emulatorHttp";

const EXPIRY = "2030-06-01T00:00:00+00:00";
const OTHER = "2031-01-01T00:00:00Z";

describe("emulator UI-created coupons", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  function seed(): void {
    const emu = emulator();
    emu.control.seedUiCoupon({ externalId: "UI_EXP", description: "from the UI", expiresAt: EXPIRY });
    emu.control.seedUiCoupon({ externalId: "UI_NOEXP" });
  }

  describe("POST /api/coupon-codes", () => {
    const conflicts: Array<[string, string, string | undefined, RegExp]> = [
      [
        "the coupon expires but the code does not",
        "UI_EXP",
        undefined,
        /with an expiration date .* but none was given/,
      ],
      ["the code's expiry differs from the coupon's", "UI_EXP", OTHER, /does not match/],
      ["the coupon does not expire but the code does", "UI_NOEXP", OTHER, /without an expiration date/],
    ];
    for (const [name, couponId, expiresAt, detail] of conflicts) {
      it(`answers 409 when ${name}`, async () => {
        seed();
        const result = await call(emulator(), "POST", "/api/coupon-codes", {
          body: codeBody(couponId, "C", expiresAt),
        });
        assert.equal(result.status, 409);
        assert.match(result.body.errors[0].detail, detail);
        assert.deepEqual(result.body.errors[0].source, { pointer: "/data/attributes/expires_at" });
      });
    }

    it("creates codes whose expiry matches the UI coupon (or is absent when it has none)", async () => {
      seed();
      const matching = await call(emulator(), "POST", "/api/coupon-codes", {
        body: codeBody("UI_EXP", "OK", "2030-06-01T02:00:00+02:00"),
      });
      assert.equal(matching.status, 200);
      assert.equal(matching.body.data.attributes.expires_at, EXPIRY);
      const none = await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("UI_NOEXP", "OK") });
      assert.equal(none.status, 200);
      assert.equal(none.body.data.attributes.expires_at, null);
    });

    it("never conflicts for API-created coupons", async () => {
      await call(emulator(), "POST", "/api/coupons", { body: couponBody("API") });
      for (const [code, expiresAt] of [
        ["A", undefined],
        ["B", OTHER],
        ["C", null],
      ] as const) {
        assert.equal(
          (await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("API", code, expiresAt) }))
            .status,
          200,
        );
      }
    });
  });

  describe("POST /api/coupon-code-bulk-create-jobs", () => {
    it("reports the three conflicts as per-item errors and creates the rest", async () => {
      seed();
      const job = await call(emulator(), "POST", "/api/coupon-code-bulk-create-jobs", {
        body: jobBody([
          codeData("UI_EXP", "NONE"),
          codeData("UI_EXP", "DIFF", OTHER),
          codeData("UI_NOEXP", "HAS", OTHER),
          codeData("UI_EXP", "GOOD", EXPIRY),
        ]),
      });
      const done = await waitForJob(emulator(), job.body.data.id);
      const { attributes, relationships } = done.data;
      assert.equal(attributes.failed_count, 3);
      assert.equal(attributes.completed_count, 1);
      assert.deepEqual(
        attributes.errors.map((error: any) => [error.code, error.source.pointer]),
        [0, 1, 2].map((i) => [
          "coupon_expiration_conflict",
          `/data/attributes/coupon-codes/data/${i}/attributes/expires_at`,
        ]),
      );
      assert.deepEqual(relationships["coupon-codes"].data, [{ type: "coupon-code", id: "UI_EXP-GOOD" }]);
    });
  });

  describe("PATCH /api/coupon-codes/{id}", () => {
    it("answers 409 for each conflicting expires_at and accepts status-only changes", async () => {
      seed();
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("UI_EXP", "E", EXPIRY) });
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("UI_NOEXP", "N") });
      const patch = (id: string, attributes: Record<string, unknown>) =>
        call(emulator(), "PATCH", `/api/coupon-codes/${id}`, {
          body: { data: { type: "coupon-code", id, attributes } },
        });
      assert.equal((await patch("UI_EXP-E", { expires_at: null })).status, 409);
      assert.equal((await patch("UI_EXP-E", { expires_at: OTHER })).status, 409);
      assert.equal((await patch("UI_NOEXP-N", { expires_at: OTHER })).status, 409);
      assert.equal((await patch("UI_EXP-E", { expires_at: EXPIRY, status: "USED" })).status, 200);
      assert.equal((await patch("UI_NOEXP-N", { status: "DELETING" })).status, 200);
    });
  });

  describe("control seedUiCoupon", () => {
    it("counts UI coupons as coupons and rejects duplicates and bad dates", () => {
      seed();
      const emu = emulator();
      assert.equal(emu.control.counts().coupons, 2);
      assert.throws(() => emu.control.seedUiCoupon({ externalId: "UI_EXP" }), /already exists/);
      assert.throws(() => emu.control.seedUiCoupon({ externalId: "X", expiresAt: "soon" }), /RFC 3339/);
    });
  });
});
