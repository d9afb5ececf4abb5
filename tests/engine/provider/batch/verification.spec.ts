import { strict as assert } from "assert";
import { useProviderStack } from "../../../../testkit/providerStack";
import {
  assertExactly,
  expectPartial,
  makeCodes,
  testClient,
  upBatch,
  upCoupon,
} from "../../../../testkit/batchTestKit";

// How a create learns what exists after its upload: from the jobs' created codes when they account for
// every code, from a listing of the coupon otherwise (issue 14: the listing of 500,000 codes alone takes
// over a minute of the read budget).
describe("CouponCodeBatch create verification (engine protocol)", function () {
  this.timeout(300_000);
  const stack = useProviderStack();
  let n = 0;

  async function freshCoupon(): Promise<string> {
    const couponId = `VERIFY${++n}`;
    await upCoupon(stack, `coupon-${n}`, couponId);
    stack.emulator.control.resetRequestLog();
    return couponId;
  }

  /** Listing pages requested after the first job was submitted (the listing before it is always taken). */
  const listingsAfterUpload = () => {
    const log = stack.emulator.control.requestLog();
    const firstJob = log.find((r) => r.operationId === "bulk_create_coupon_codes");
    assert.ok(firstJob, "no job was submitted");
    return log.filter((r) => r.operationId === "get_coupon_codes" && r.time >= firstJob.time).length;
  };

  /** The outputs a refresh recomputes from a listing, which a create must already have reported. */
  const reported = (outputs: Record<string, unknown>) => ({
    codeCount: outputs.codeCount,
    fingerprint: outputs.fingerprint,
    statusCounts: outputs.statusCounts,
    expiryRange: outputs.expiryRange,
  });

  describe("create", () => {
    it("lists only before the upload when every code comes back from its job, and reports what a refresh reads", async () => {
      const couponId = await freshCoupon();
      const codes = makeCodes("VF", 2500);
      const created = await upBatch(stack, "clean", { couponId, codes, expiresAt: "2031-06-30T23:59:59Z" });
      assert.equal(listingsAfterUpload(), 0, "a clean upload must not list the coupon afterwards");
      const refreshed = await stack.engine.refresh("clean");
      assert.deepEqual(reported(refreshed.state!.outputs), reported(created.outputs));
      assert.deepEqual(created.outputs.statusCounts, { UNASSIGNED: 2500 });
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("lists after the upload when a job reports a failed code", async () => {
      const couponId = await freshCoupon();
      const codes = makeCodes("VR", 1200);
      stack.emulator.control.setJobOutcome({ failCodes: [codes[7]] });
      await expectPartial(() => upBatch(stack, "refused", { couponId, codes }));
      assert.ok(listingsAfterUpload() >= 12, "the listing after the upload tells what exists");
    });

    it("lists after the upload when it patched the expiry of codes that already existed", async () => {
      const couponId = await freshCoupon();
      const codes = makeCodes("VE", 300);
      const client = testClient(stack);
      const early = await client.bulkCreateCouponCodes(
        codes
          .slice(0, 10)
          .map((code) => ({ couponId, unique_code: code, expires_at: "2030-01-01T00:00:00Z" })),
      );
      assert.ok(early.id);
      await stack.emulator.control.waitForJobs();
      stack.emulator.control.resetRequestLog();
      const created = await upBatch(stack, "patched", { couponId, codes, expiresAt: "2031-06-30T23:59:59Z" });
      assert.ok(listingsAfterUpload() >= 3, "the listing after the upload tells the patched expiries");
      const refreshed = await stack.engine.refresh("patched");
      assert.deepEqual(reported(refreshed.state!.outputs), reported(created.outputs));
    });
  });
});
