import { strict as assert } from "assert";
import { createKlaviyoClient, type KlaviyoClient } from "../../../../provider/client";
import { type CheckFailedError, isCheckFailedError, UNKNOWN } from "../../../../testkit/harness/engine";
import { COUPON_TYPE, startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";

// One coupon's life through the SDK's real dynamic-provider host, against the emulator with its
// real rate limits on. Tests run in order and share the stack's state.
describe("Coupon (engine protocol)", function () {
  this.timeout(120_000);
  let stack: ProviderStack;
  /** Acts "as the Klaviyo UI would": straight API calls from outside Pulumi. */
  let outside: KlaviyoClient;
  const up = (name: string, inputs: Record<string, unknown>) => stack.engine.up(name, COUPON_TYPE, inputs);
  const requests = () => stack.emulator.control.counts().requests;
  const log = () => stack.emulator.control.requestLog().map((r) => `${r.method} ${r.path} -> ${r.status}`);
  const methodsSince = (mark: number) => stack.host.calls.slice(mark).map((c) => c.method);

  before(async () => {
    stack = await startProviderStack();
    outside = createKlaviyoClient({ apiKey: stack.emulator.apiKey, baseUrl: stack.emulator.url });
  });
  beforeEach(() => stack.emulator.control.resetRequestLog());
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  describe("create", () => {
    it("creates the coupon and outputs the inputs as applied plus couponId", async () => {
      const result = await up("spring", {
        externalId: "SPRING10",
        description: "10% off",
        lowBalanceThreshold: 500,
      });
      assert.equal(result.op, "create");
      assert.equal(result.id, "SPRING10");
      const { __provider, ...outs } = result.outputs;
      assert.equal(__provider, stack.couponProvider);
      assert.deepEqual(outs, {
        couponId: "SPRING10",
        externalId: "SPRING10",
        description: "10% off",
        lowBalanceThreshold: 500,
        adopt: false,
      });
      assert.deepEqual(log(), ["POST /api/coupons -> 201"]);
      const live = await outside.getCoupon("SPRING10");
      assert.equal(live.attributes.description, "10% off");
      assert.deepEqual(live.attributes.monitor_configuration, { low_balance_threshold: 500 });
    });
  });

  describe("up", () => {
    it("reports op same, sending no update and no HTTP request, when the inputs are identical", async () => {
      const mark = stack.host.calls.length;
      const before = requests();
      const result = await up("spring", {
        externalId: "SPRING10",
        description: "10% off",
        lowBalanceThreshold: 500,
      });
      assert.equal(result.op, "same");
      assert.deepEqual(methodsSince(mark), ["check", "diff"]);
      assert.equal(requests(), before);
    });

    it("updates the description in place when it changes", async () => {
      const result = await up("spring", {
        externalId: "SPRING10",
        description: "15% off",
        lowBalanceThreshold: 500,
      });
      assert.equal(result.op, "update");
      assert.equal(result.outputs.description, "15% off");
      assert.deepEqual(log(), ["PATCH /api/coupons/SPRING10 -> 200"]);
      assert.equal((await outside.getCoupon("SPRING10")).attributes.description, "15% off");
    });

    it("updates the low-balance threshold in place when it changes", async () => {
      const result = await up("spring", {
        externalId: "SPRING10",
        description: "15% off",
        lowBalanceThreshold: 50,
      });
      assert.equal(result.op, "update");
      assert.equal(result.outputs.lowBalanceThreshold, 50);
      assert.deepEqual(log(), ["PATCH /api/coupons/SPRING10 -> 200"]);
      const live = await outside.getCoupon("SPRING10");
      assert.deepEqual(live.attributes.monitor_configuration, { low_balance_threshold: 50 });
    });

    it("clears the description and threshold in Klaviyo when they are removed", async () => {
      const result = await up("spring", { externalId: "SPRING10" });
      assert.equal(result.op, "update");
      assert.equal(result.outputs.description, null);
      assert.equal(result.outputs.lowBalanceThreshold, null);
      const live = await outside.getCoupon("SPRING10");
      assert.equal(live.attributes.description, null);
      assert.equal(live.attributes.monitor_configuration, null);
    });

    it("replaces the coupon, deleting the old one before creating the new, when externalId changes", async () => {
      const mark = stack.host.calls.length;
      const result = await up("spring", { externalId: "SPRING15", description: "15% off" });
      assert.equal(result.op, "replace");
      assert.equal(result.id, "SPRING15");
      assert.deepEqual(result.diff?.replaces, ["externalId"]);
      assert.deepEqual(methodsSince(mark), ["check", "diff", "check", "delete", "create"]);
      assert.deepEqual(log(), ["DELETE /api/coupons/SPRING10 -> 204", "POST /api/coupons -> 201"]);
      assert.equal(stack.emulator.control.counts().coupons, 1);
    });
  });

  describe("preview", () => {
    it("sends only check and diff, and no HTTP request at all, when the description is unknown", async () => {
      const mark = stack.host.calls.length;
      const before = requests();
      const result = await stack.engine.preview("spring", COUPON_TYPE, {
        externalId: "SPRING15",
        description: UNKNOWN,
      });
      assert.equal(result.op, "update");
      assert.equal(result.inputs.description, UNKNOWN);
      assert.deepEqual(methodsSince(mark), ["check", "diff"]);
      assert.equal(requests(), before);
    });
  });

  describe("check", () => {
    it("fails naming each bad property, without any HTTP request, when inputs are invalid", async () => {
      const before = requests();
      const bad = { externalId: "bad id!", description: 5, lowBalanceThreshold: -1, adopt: "yes" };
      for (const name of ["spring", "fresh"]) {
        await assert.rejects(up(name, bad), (err: CheckFailedError) => {
          assert.ok(isCheckFailedError(err), String(err));
          const properties = err.failures.map((f) => f.property).sort();
          assert.deepEqual(properties, ["adopt", "description", "externalId", "lowBalanceThreshold"]);
          assert.ok(
            err.failures.every((f) => f.reason.includes(f.property)),
            JSON.stringify(err.failures),
          );
          return true;
        });
      }
      assert.equal(requests(), before);
      assert.equal(stack.engine.state("fresh"), undefined);
    });
  });

  describe("refresh", () => {
    it("picks up changes made outside Pulumi, and the next up restores the declared values", async () => {
      await outside.updateCoupon("SPRING15", {
        description: "edited in the UI",
        monitor_configuration: { low_balance_threshold: 7 },
      });
      const refreshed = await stack.engine.refresh("spring");
      assert.equal(refreshed.op, "refresh");
      assert.equal(refreshed.state!.outputs.description, "edited in the UI");
      assert.equal(refreshed.state!.outputs.lowBalanceThreshold, 7);
      assert.equal(refreshed.state!.inputs.description, "edited in the UI");
      assert.equal(refreshed.state!.inputs.lowBalanceThreshold, 7);

      const result = await up("spring", { externalId: "SPRING15", description: "15% off" });
      assert.equal(result.op, "update");
      const live = await outside.getCoupon("SPRING15");
      assert.equal(live.attributes.description, "15% off");
      assert.equal(live.attributes.monitor_configuration, null);
    });

    it("drops the coupon from the state when it was deleted outside Pulumi", async () => {
      await outside.deleteCoupon("SPRING15");
      const refreshed = await stack.engine.refresh("spring");
      assert.equal(refreshed.op, "gone");
      assert.equal(stack.engine.state("spring"), undefined);
      const again = await up("spring", { externalId: "SPRING15", description: "15% off" });
      assert.equal(again.op, "create");
    });
  });

  describe("destroy", () => {
    it("deletes the coupon, and Klaviyo deletes its codes with it", async () => {
      await outside.createCouponCode({ couponId: "SPRING15", unique_code: "SPRINGCODE1" });
      assert.equal(stack.emulator.control.counts().codes, 1);
      await stack.engine.destroy("spring");
      assert.equal(stack.engine.state("spring"), undefined);
      assert.deepEqual(stack.emulator.control.counts().coupons, 0);
      assert.deepEqual(stack.emulator.control.counts().codes, 0);
      assert.deepEqual(log().slice(-1), ["DELETE /api/coupons/SPRING15 -> 204"]);
    });

    it("succeeds when the coupon was already deleted outside Pulumi", async () => {
      await up("autumn", { externalId: "AUTUMN5" });
      await outside.deleteCoupon("AUTUMN5");
      await stack.engine.destroy("autumn");
      assert.equal(stack.engine.state("autumn"), undefined);
    });
  });

  describe("secrets", () => {
    it("never shows the API key in __provider, outputs, state or the host's output", async () => {
      await up("winter", { externalId: "WINTER20", description: "20% off" });
      const key = stack.emulator.apiKey;
      assert.ok(!stack.couponProvider.includes(key), "__provider");
      assert.ok(!JSON.stringify(stack.engine.state("winter")!.outputs).includes(key), "outputs");
      assert.ok(!stack.engine.stateText().includes(key), "state");
      assert.ok(!stack.host.output().includes(key), "host output");
    });
  });
});
