import { strict as assert } from "assert";
import { create, read, remove, update } from "../../../../provider/coupon/handlers";
import { configure } from "../../../../provider/runtime";
import { useTestEmulator } from "../../../../testkit/emulator";

/** `METHOD path -> status` of every API request since the last reset, for asserting call order. */
function calls(log: Array<{ method: string; path: string; status: number }>): string[] {
  return log.map((r) => `${r.method} ${r.path} -> ${r.status}`);
}

// The handlers in process against the emulator (real rate limits), for the recovery paths that
// need precise fault timing; the engine-protocol specs cover the same handlers through the host.
describe("couponHandlers (against the emulator)", () => {
  const emulator = useTestEmulator();

  beforeEach(() => {
    const values: Record<string, string> = {
      "klaviyo:apiKey": emulator().apiKey,
      "klaviyo:baseUrl": emulator().url,
    };
    configure({ config: { get: (k) => values[k] } }, {});
  });
  // Leave the shared module as a process outside a Pulumi host would find it: environment only.
  after(() => configure({ config: { get: () => undefined } }));

  describe("create", () => {
    it("creates the coupon and returns the declared values as outputs when it does not exist", async () => {
      const result = await create({
        externalId: "NEW1",
        description: "d",
        lowBalanceThreshold: 5,
        adopt: false,
      });
      assert.deepEqual(result, {
        id: "NEW1",
        outs: {
          couponId: "NEW1",
          externalId: "NEW1",
          description: "d",
          lowBalanceThreshold: 5,
          adopt: false,
        },
      });
      assert.deepEqual(calls(emulator().control.requestLog()), ["POST /api/coupons -> 201"]);
    });

    it("fails explaining adopt, changing nothing, when the external id exists and adopt is false", async () => {
      emulator().control.seedUiCoupon({ externalId: "TAKEN", description: "from the UI" });
      await assert.rejects(
        create({ externalId: "TAKEN", description: "mine", adopt: false }),
        (err: Error) => {
          assert.match(err.message, /"TAKEN" already exists/);
          assert.match(err.message, /adopt: true/);
          return true;
        },
      );
      assert.ok(
        !emulator()
          .control.requestLog()
          .some((r) => r.method === "PATCH"),
      );
    });

    it("takes the coupon over and sets the declared values when adopt is true", async () => {
      emulator().control.seedUiCoupon({ externalId: "TAKEN", description: "from the UI" });
      const result = await create({
        externalId: "TAKEN",
        description: "mine",
        lowBalanceThreshold: 9,
        adopt: true,
      });
      assert.equal(result.outs!.description, "mine");
      assert.equal(result.outs!.lowBalanceThreshold, 9);
      assert.equal(result.outs!.adopt, true);
      assert.deepEqual(calls(emulator().control.requestLog()), [
        "POST /api/coupons -> 409",
        "GET /api/coupons/TAKEN -> 200",
        "PATCH /api/coupons/TAKEN -> 200",
      ]);
    });

    it("adopts without a PATCH when the existing coupon already holds the declared values", async () => {
      emulator().control.seedUiCoupon({ externalId: "SAME", description: "same" });
      const result = await create({ externalId: "SAME", description: "same", adopt: true });
      assert.equal(result.outs!.description, "same");
      assert.ok(
        !emulator()
          .control.requestLog()
          .some((r) => r.method === "PATCH"),
      );
    });

    it("sends the POST again once it has seen that a POST whose answer was lost did not land", async () => {
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", drop: true });
      const result = await create({ externalId: "LOST1", description: "d", adopt: false });
      assert.equal(result.id, "LOST1");
      assert.deepEqual(calls(emulator().control.requestLog()), [
        "POST /api/coupons -> 0",
        "GET /api/coupons/LOST1 -> 404",
        "POST /api/coupons -> 201",
      ]);
    });

    it("keeps the coupon as its own, without adopt, when a POST whose answer was lost did land", async () => {
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", dropAfterProcessing: true });
      const result = await create({
        externalId: "LOST2",
        description: "d",
        lowBalanceThreshold: 3,
        adopt: false,
      });
      assert.deepEqual(result.outs, {
        couponId: "LOST2",
        externalId: "LOST2",
        description: "d",
        lowBalanceThreshold: 3,
        adopt: false,
      });
      assert.deepEqual(calls(emulator().control.requestLog()), [
        "POST /api/coupons -> 201",
        "GET /api/coupons/LOST2 -> 200",
      ]);
    });

    it("recognises its own coupon when a later POST of a create lands but its answer is lost too", async () => {
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", status: 504 });
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", dropAfterProcessing: true });
      const result = await create({ externalId: "LOST3", adopt: false });
      assert.equal(result.id, "LOST3");
      assert.equal(emulator().control.counts().coupons, 1);
    });

    it("gives up with the transport error when every POST's answer is lost and none landed", async () => {
      emulator().control.injectFault({ method: "POST", path: "/api/coupons", drop: true, count: 3 });
      await assert.rejects(create({ externalId: "LOST4", adopt: false }), /Outcome unknown/);
      assert.equal(
        emulator()
          .control.requestLog()
          .filter((r) => r.method === "POST").length,
        3,
      );
      assert.equal(emulator().control.counts().coupons, 0);
    });

    it("reports an adopted coupon as created but unsettled when the PATCH fails", async () => {
      emulator().control.seedUiCoupon({ externalId: "HALF", description: "from the UI" });
      emulator().control.injectFault({ method: "PATCH", path: "/api/coupons/HALF", status: 403 });
      const inputs = { externalId: "HALF", description: "mine", adopt: true, __provider: "PROVIDER" };
      await assert.rejects(create(inputs), (err: Error & Record<string, any>) => {
        assert.equal(err.id, "HALF");
        assert.deepEqual(err.properties, {
          couponId: "HALF",
          externalId: "HALF",
          description: "from the UI",
          lowBalanceThreshold: null,
          adopt: true,
          __provider: "PROVIDER",
        });
        assert.equal(err.reasons.length, 1);
        assert.match(err.message, /403/);
        return true;
      });
    });
  });

  describe("read", () => {
    it("returns an empty id when the coupon was deleted outside Pulumi", async () => {
      assert.deepEqual(await read("GONE", { adopt: false }), { id: "", props: {} });
    });
  });

  describe("update", () => {
    it("explains refresh when the coupon was deleted outside Pulumi", async () => {
      const olds = { couponId: "GONE", externalId: "GONE", description: "a", lowBalanceThreshold: null };
      await assert.rejects(
        update("GONE", olds, { externalId: "GONE", description: "b", adopt: false }),
        /no longer exists.*pulumi refresh/,
      );
    });

    it("sends nothing when only adopt changed", async () => {
      const olds = {
        couponId: "X",
        externalId: "X",
        description: "a",
        lowBalanceThreshold: null,
        adopt: true,
      };
      const result = await update("X", olds, { externalId: "X", description: "a", adopt: false });
      assert.equal(result.outs?.adopt, false);
      assert.equal(emulator().control.counts().requests, 0);
    });
  });

  describe("remove", () => {
    it("counts a coupon that is already gone as deleted", async () => {
      await remove("GONE");
      assert.deepEqual(calls(emulator().control.requestLog()), ["DELETE /api/coupons/GONE -> 404"]);
    });
  });
});
