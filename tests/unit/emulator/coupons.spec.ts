import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, codeData, couponBody, jobBody, waitForJob } from "../../../testkit/emulatorHttp";

describe("emulator coupons", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  describe("POST /api/coupons", () => {
    it("uses external_id as the id and keeps description and monitor_configuration", async () => {
      const result = await call(emulator(), "POST", "/api/coupons", {
        body: couponBody("10OFF", {
          description: "Ten",
          monitor_configuration: { low_balance_threshold: 5 },
        }),
      });
      assert.equal(result.status, 201);
      assert.equal(result.body.data.id, "10OFF");
      assert.deepEqual(result.body.data.attributes, {
        external_id: "10OFF",
        description: "Ten",
        monitor_configuration: { low_balance_threshold: 5 },
      });
    });

    it("defaults description and monitor_configuration to null", async () => {
      const result = await call(emulator(), "POST", "/api/coupons", { body: couponBody("N") });
      assert.equal(result.body.data.attributes.description, null);
      assert.equal(result.body.data.attributes.monitor_configuration, null);
    });

    it("answers 409 naming the duplicate when the external_id exists", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("DUP") });
      const result = await call(emu, "POST", "/api/coupons", { body: couponBody("DUP") });
      assert.equal(result.status, 409);
      assert.match(result.body.errors[0].detail, /'DUP' already exists/);
      assert.equal(result.body.errors[0].meta.duplicate_coupon_id, "DUP");
    });

    it("answers 400 about the 500-coupon limit for the 501st coupon", async () => {
      const emu = emulator();
      for (let i = 0; i < 500; i++) {
        assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody(`C${i}`) })).status, 201);
      }
      const result = await call(emu, "POST", "/api/coupons", { body: couponBody("C500") });
      assert.equal(result.status, 400);
      assert.match(result.body.errors[0].detail, /maximum of 500 coupons/);
      await call(emu, "DELETE", "/api/coupons/C0");
      assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody("C500") })).status, 201);
    });

    const malformed: Array<[string, unknown, string]> = [
      ["wrong type", { data: { type: "coupons", attributes: { external_id: "X" } } }, "/data/type"],
      ["missing external_id", { data: { type: "coupon", attributes: {} } }, "/data/attributes/external_id"],
      ["non-string description", couponBody("X", { description: 5 }), "/data/attributes/description"],
      [
        "array monitor_configuration",
        couponBody("X", { monitor_configuration: [] }),
        "/data/attributes/monitor_configuration",
      ],
      [
        "unknown attribute",
        couponBody("X", { expires_at: "2030-01-01T00:00:00Z" }),
        "/data/attributes/expires_at",
      ],
      ["missing attributes", { data: { type: "coupon" } }, "/data/attributes"],
      ["missing data", {}, "/data"],
    ];
    for (const [name, body, pointer] of malformed) {
      it(`answers 400 pointing at ${pointer} when the body has ${name}`, async () => {
        const result = await call(emulator(), "POST", "/api/coupons", { body });
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { pointer });
      });
    }
  });

  describe("GET /api/coupons/{id}", () => {
    it("answers 404 for an unknown id", async () => {
      const result = await call(emulator(), "GET", "/api/coupons/NOPE");
      assert.equal(result.status, 404);
      assert.equal(result.body.errors[0].code, "not_found");
    });
  });

  describe("PATCH /api/coupons/{id}", () => {
    it("changes description and monitor_configuration only", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("P", { description: "old" }) });
      const body = { data: { type: "coupon", id: "P", attributes: { monitor_configuration: { a: 1 } } } };
      const result = await call(emu, "PATCH", "/api/coupons/P", { body });
      assert.equal(result.status, 200);
      assert.equal(result.body.data.attributes.description, "old");
      assert.deepEqual(result.body.data.attributes.monitor_configuration, { a: 1 });
    });

    it("answers 400 when external_id is sent or the body id differs from the URL", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("P") });
      const external = { data: { type: "coupon", id: "P", attributes: { external_id: "Q" } } };
      const first = await call(emu, "PATCH", "/api/coupons/P", { body: external });
      assert.deepEqual(first.body.errors[0].source, { pointer: "/data/attributes/external_id" });
      const mismatch = { data: { type: "coupon", id: "Q", attributes: {} } };
      const second = await call(emu, "PATCH", "/api/coupons/P", { body: mismatch });
      assert.deepEqual(second.body.errors[0].source, { pointer: "/data/id" });
    });

    it("answers 404 for an unknown coupon", async () => {
      const body = { data: { type: "coupon", id: "Z", attributes: {} } };
      assert.equal((await call(emulator(), "PATCH", "/api/coupons/Z", { body })).status, 404);
    });
  });

  describe("DELETE /api/coupons/{id}", () => {
    it("cascades to the coupon's codes by default", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("D") });
      await call(emu, "POST", "/api/coupon-codes", { body: codeBody("D", "ONE") });
      const result = await call(emu, "DELETE", "/api/coupons/D");
      assert.equal(result.status, 204);
      assert.equal((await call(emu, "GET", "/api/coupon-codes/D-ONE")).status, 404);
      assert.deepEqual(emu.control.counts().codes, 0);
    });

    it("cascades to every code of a coupon with a thousand codes", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("MANY") });
      const items = Array.from({ length: 1000 }, (_, i) => codeData("MANY", `M${i}`));
      const job = await call(emu, "POST", "/api/coupon-code-bulk-create-jobs", { body: jobBody(items) });
      await waitForJob(emu, job.body.data.id);
      assert.equal(emu.control.counts().codes, 1000);
      assert.equal((await call(emu, "DELETE", "/api/coupons/MANY")).status, 204);
      assert.equal(emu.control.counts().codes, 0);
      assert.equal((await call(emu, "GET", "/api/coupon-codes/MANY-M999")).status, 404);
    });

    it("refuses with 409 while codes exist when configured with refuse-with-codes", async () => {
      const emu = emulator();
      emu.control.configure({ couponDelete: "refuse-with-codes" });
      try {
        await call(emu, "POST", "/api/coupons", { body: couponBody("R") });
        await call(emu, "POST", "/api/coupon-codes", { body: codeBody("R", "ONE") });
        const refused = await call(emu, "DELETE", "/api/coupons/R");
        assert.equal(refused.status, 409);
        assert.match(refused.body.errors[0].detail, /still has 1 coupon code/);
        await call(emu, "DELETE", "/api/coupon-codes/R-ONE");
        assert.equal((await call(emu, "DELETE", "/api/coupons/R")).status, 204);
      } finally {
        emu.control.configure({ couponDelete: "cascade" });
      }
    });

    it("answers 404 for an unknown coupon", async () => {
      assert.equal((await call(emulator(), "DELETE", "/api/coupons/NOPE")).status, 404);
    });
  });
});
