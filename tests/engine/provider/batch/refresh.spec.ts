import { strict as assert } from "assert";
import { startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import { makeCodes, storedCodeList, testClient, upBatch, upCoupon } from "../../../../testkit/batchTestKit";

// Refresh through the real provider host: a batch large enough to be listed in expiry windows
// (provider/batch/partitionedListing.ts) must end with exactly the state a single walk would give.
describe("CouponCodeBatch refresh in expiry windows (engine protocol)", function () {
  this.timeout(300_000);
  let stack: ProviderStack;
  const couponId = "REFRESH1200";
  const codes = makeCodes("RW", 1200);
  const id = (code: string) => `${couponId}-${code}`;

  before(async () => {
    stack = await startProviderStack({ emulator: { rateLimits: { enabled: false } } });
    await upCoupon(stack, "coupon", couponId);
    await upBatch(stack, "codes", { couponId, codes });
  });
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  const outputs = () => stack.engine.state("codes")!.outputs as Record<string, any>;

  describe("read", () => {
    it("drops codes deleted out of band and keeps codes re-dated outside the stored range", async () => {
      const client = testClient(stack);
      // Two codes far from the upload's default expiry widen the range the next refresh stores.
      await client.updateCouponCode(id(codes[0]), { expires_at: "2090-01-01T00:00:00Z" });
      await client.updateCouponCode(id(codes[1]), { expires_at: "2090-01-03T00:00:00Z" });
      await stack.engine.refresh("codes");
      assert.equal(outputs().expiryRange.latest, "2090-01-03T00:00:00+00:00");

      const deleted = [codes[2], codes[600], codes[1199]];
      for (const code of deleted) await client.deleteCouponCode(id(code));
      await client.updateCouponCode(id(codes[3]), { expires_at: "2091-06-01T00:00:00Z" });
      await client.updateCouponCode(id(codes[4]), { expires_at: "2089-06-01T00:00:00Z" });
      const linesBefore = stack.host.output().split("\n").length;
      const refreshed = await stack.engine.refresh("codes");
      assert.equal(refreshed.op, "refresh");

      const outs = outputs();
      assert.deepEqual(
        storedCodeList(outs.codes),
        codes.filter((c) => !deleted.includes(c)),
      );
      assert.deepEqual([outs.codeCount, outs.statusCounts], [1197, { UNASSIGNED: 1197 }]);
      assert.equal(outs.expiryRange.latest, "2091-06-01T00:00:00+00:00");
      // 12 pages make 3 windows; the three deleted codes and the one moved past the range are read by id.
      const printed = stack.host
        .output()
        .split("\n")
        .slice(linesBefore - 1);
      assert.ok(
        printed.some((l) =>
          l.endsWith("refresh listed the codes in 3 expiry windows and 4 codes checked by id"),
        ),
        printed.join("\n"),
      );
      assert.ok(!printed.some((l) => codes.some((c) => l.includes(c))), "a code was printed");
    });
  });
});
