import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, couponBody } from "../../../testkit/emulatorHttp";

const YEAR_MS = 365 * 24 * 3600 * 1000;

describe("emulator coupon codes", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  async function coupon(id: string): Promise<void> {
    assert.equal((await call(emulator(), "POST", "/api/coupons", { body: couponBody(id) })).status, 201);
  }

  describe("POST /api/coupon-codes", () => {
    it("creates <couponId>-<unique_code> with status UNASSIGNED and answers 200", async () => {
      await coupon("10OFF");
      const result = await call(emulator(), "POST", "/api/coupon-codes", {
        body: codeBody("10OFF", "ABC", "2030-01-01T00:00:00Z"),
      });
      assert.equal(result.status, 200);
      assert.equal(result.body.data.id, "10OFF-ABC");
      assert.deepEqual(result.body.data.attributes, {
        unique_code: "ABC",
        expires_at: "2030-01-01T00:00:00+00:00",
        status: "UNASSIGNED",
      });
    });

    for (const [name, expiresAt] of [
      ["omitted", undefined],
      ["null", null],
    ] as const) {
      it(`defaults expires_at to one year after creation when it is ${name}`, async () => {
        await coupon("Y");
        const before = Date.now();
        const result = await call(emulator(), "POST", "/api/coupon-codes", {
          body: codeBody("Y", "C", expiresAt),
        });
        const expires = Date.parse(result.body.data.attributes.expires_at);
        assert.ok(expires >= before + YEAR_MS && expires <= Date.now() + YEAR_MS + 24 * 3600 * 1000);
      });
    }

    it("answers 409 naming the duplicate code on the same coupon, but allows it on another", async () => {
      await coupon("A");
      await coupon("B");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "SAME") });
      const dup = await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "SAME") });
      assert.equal(dup.status, 409);
      assert.match(dup.body.errors[0].detail, /'SAME' already exists for coupon 'A'/);
      assert.equal(
        (await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("B", "SAME") })).status,
        200,
      );
    });

    it("looks ids up exactly even when coupon ids contain '-'", async () => {
      await coupon("A-B");
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A-B", "C") });
      const clash = await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "B-C") });
      assert.equal(clash.status, 409);
      const found = await call(emulator(), "GET", "/api/coupon-codes/A-B-C/relationships/coupon");
      assert.deepEqual(found.body.data, { type: "coupon", id: "A-B" });
    });

    it("answers 404 when the coupon does not exist", async () => {
      const result = await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("NOPE", "X") });
      assert.equal(result.status, 404);
      assert.deepEqual(result.body.errors[0].source, { pointer: "/data/relationships/coupon/data/id" });
    });

    const malformed: Array<[string, unknown, string]> = [
      [
        "a missing unique_code",
        { data: { type: "coupon-code", attributes: {}, relationships: {} } },
        "/data/attributes/unique_code",
      ],
      ["a bad expires_at", codeBody("A", "X", "2030-13-01T00:00:00Z"), "/data/attributes/expires_at"],
      [
        "an expires_at without offset",
        codeBody("A", "X", "2030-01-01T00:00:00"),
        "/data/attributes/expires_at",
      ],
      ["a wrong type", { data: { ...(codeBody("A", "X") as any).data, type: "coupon" } }, "/data/type"],
      [
        "a missing relationship",
        { data: { type: "coupon-code", attributes: { unique_code: "X" } } },
        "/data/relationships",
      ],
    ];
    for (const [name, body, pointer] of malformed) {
      it(`answers 400 pointing at ${pointer} for ${name}`, async () => {
        await coupon("A");
        const result = await call(emulator(), "POST", "/api/coupon-codes", { body });
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { pointer });
      });
    }
  });

  describe("PATCH /api/coupon-codes/{id}", () => {
    it("changes status and expires_at", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      const body = {
        data: {
          type: "coupon-code",
          id: "A-X",
          attributes: { status: "DELETING", expires_at: "2031-02-03T04:05:06.5Z" },
        },
      };
      const result = await call(emulator(), "PATCH", "/api/coupon-codes/A-X", { body });
      assert.equal(result.status, 200);
      assert.equal(result.body.data.attributes.status, "DELETING");
      assert.equal(result.body.data.attributes.expires_at, "2031-02-03T04:05:06.500000+00:00");
    });

    it("answers 400 for unique_code, a bad status or a bad date-time", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ unique_code: "Y" }, "/data/attributes/unique_code"],
        [{ status: "unassigned" }, "/data/attributes/status"],
        [{ expires_at: "tomorrow" }, "/data/attributes/expires_at"],
      ];
      for (const [attributes, pointer] of cases) {
        const body = { data: { type: "coupon-code", id: "A-X", attributes } };
        const result = await call(emulator(), "PATCH", "/api/coupon-codes/A-X", { body });
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { pointer });
      }
    });

    it("answers 404 for an unknown code", async () => {
      const body = { data: { type: "coupon-code", id: "A-X", attributes: {} } };
      assert.equal((await call(emulator(), "PATCH", "/api/coupon-codes/A-X", { body })).status, 404);
    });
  });

  describe("DELETE /api/coupon-codes/{id}", () => {
    it("deletes an unassigned code with 204", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      assert.equal((await call(emulator(), "DELETE", "/api/coupon-codes/A-X")).status, 204);
      assert.equal((await call(emulator(), "DELETE", "/api/coupon-codes/A-X")).status, 404);
    });

    it("answers 409 when the code is assigned to a profile", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      emulator().control.assignCode("A-X", "PROFILE1");
      const result = await call(emulator(), "DELETE", "/api/coupon-codes/A-X");
      assert.equal(result.status, 409);
      assert.match(result.body.errors[0].detail, /assigned to profile 'PROFILE1'/);
    });

    it("answers 409 when the status is ASSIGNED_TO_PROFILE without a profile", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      const body = {
        data: { type: "coupon-code", id: "A-X", attributes: { status: "ASSIGNED_TO_PROFILE" } },
      };
      await call(emulator(), "PATCH", "/api/coupon-codes/A-X", { body });
      assert.equal((await call(emulator(), "DELETE", "/api/coupon-codes/A-X")).status, 409);
    });
  });

  describe("GET /api/coupon-codes/{id}/coupon", () => {
    it("returns the code's coupon", async () => {
      await coupon("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      const result = await call(emulator(), "GET", "/api/coupon-codes/A-X/coupon");
      assert.equal(result.body.data.id, "A");
      assert.equal((await call(emulator(), "GET", "/api/coupon-codes/A-Y/coupon")).status, 404);
    });
  });
});
