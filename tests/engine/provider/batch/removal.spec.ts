import { strict as assert } from "assert";
import { useProviderStack } from "../../../../testkit/providerStack";
import {
  assertExactly,
  expectPartial,
  liveCodes,
  makeCodes,
  testClient,
  upBatch,
  upCoupon,
  storedCodeList,
} from "../../../../testkit/batchTestKit";

// Removals that fail or are refused (issue 11, items 4 and 5): state must keep telling the truth, and
// a later apply must finish the job.
describe("CouponCodeBatch removals that fail (engine protocol)", function () {
  this.timeout(300_000);
  const stack = useProviderStack({ emulator: { rateLimits: { enabled: false } } });

  const storedCodes = (name: string) => storedCodeList(stack.engine.state(name)!.outputs.codes);

  describe("update", () => {
    it("keeps codes whose DELETE kept failing in the state, and deletes them on the next up", async () => {
      await upCoupon(stack, "c1", "DELFAIL");
      const codes = makeCodes("DF", 300);
      await upBatch(stack, "b1", { couponId: "DELFAIL", codes });
      const kept = codes.slice(100);
      stack.emulator.control.injectFault({
        method: "DELETE",
        path: "/api/coupon-codes/",
        count: 100_000,
        status: 503,
      });
      let failure: Error;
      try {
        failure = await expectPartial(() => upBatch(stack, "b1", { couponId: "DELFAIL", codes: kept }));
      } finally {
        stack.emulator.control.clearFaults();
      }
      // One group for one cause, and no code in the text.
      assert.match(
        failure.message,
        /100 codes could not be deleted \(100 x Klaviyo DELETE \/api\/coupon-codes\/\{id\} failed: 503/,
      );
      for (const code of codes) assert.ok(!failure.message.includes(code), `${code} printed`);
      assert.equal(storedCodes("b1").length, 300, "undeleted codes stay in the batch");

      const again = await upBatch(stack, "b1", { couponId: "DELFAIL", codes: kept });
      assert.equal(again.op, "update");
      assert.deepEqual([...storedCodes("b1")].sort(), kept);
      await assertExactly(testClient(stack), "DELFAIL", kept);
    });

    it("changes nothing, expiry included, when fail-if-assigned refuses a removal", async () => {
      await upCoupon(stack, "c2", "REFUSE");
      const codes = makeCodes("RF", 50);
      const inputs = {
        couponId: "REFUSE",
        codes,
        deletePolicy: "fail-if-assigned",
        expiresAt: "2031-01-01T00:00:00Z",
      };
      await upBatch(stack, "b2", inputs);
      stack.emulator.control.assignCode(`REFUSE-${codes[0]}`, "01PROFILE");
      stack.emulator.control.resetRequestLog();
      await assert.rejects(
        upBatch(stack, "b2", { ...inputs, codes: codes.slice(1), expiresAt: "2032-02-02T00:00:00Z" }),
        /held by profiles .* "fail-if-assigned" changed nothing/,
      );
      const writes = stack.emulator.control.requestLog().filter((r) => r.method !== "GET");
      assert.deepEqual(writes, [], "nothing may change in Klaviyo");
      const expiries = new Set((await liveCodes(testClient(stack), "REFUSE")).map((c) => c.expiresAt));
      assert.deepEqual([...expiries], ["2031-01-01T00:00:00+00:00"]);
      assert.equal(
        (stack.engine.state("b2")!.outputs as { expiresAt: string }).expiresAt,
        "2031-01-01T00:00:00Z",
      );
    });
  });

  describe("update whose final listing fails", () => {
    it("records partial state with the codes known to exist, and the next up converges", async () => {
      await upCoupon(stack, "c3", "LISTFAIL");
      const codes = makeCodes("LF", 200);
      await upBatch(stack, "b3", { couponId: "LISTFAIL", codes: codes.slice(0, 100) });
      // Update lists nothing before uploading, so the only listing to fail is the one after the upload.
      stack.emulator.control.injectFault({
        method: "GET",
        path: "/api/coupon-codes",
        count: 100_000,
        status: 500,
      });
      let failure: Error;
      try {
        failure = await expectPartial(() => upBatch(stack, "b3", { couponId: "LISTFAIL", codes }));
      } finally {
        stack.emulator.control.clearFaults();
      }
      assert.match(failure.message, /listing the coupon's codes after the upload failed/);
      assert.deepEqual([...storedCodes("b3")].sort(), codes.slice(0, 100));
      const again = await upBatch(stack, "b3", { couponId: "LISTFAIL", codes });
      assert.equal(again.op, "update");
      assert.deepEqual([...storedCodes("b3")].sort(), codes);
      await assertExactly(testClient(stack), "LISTFAIL", codes);
    });
  });
});
