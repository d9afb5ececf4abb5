import { strict as assert } from "assert";
import { liveCodes, loadPackage, realEngineSkipReason, useRealStack } from "./realEngine";

// Issue 11, item 8: the real engine creates resources in parallel and one provider host runs their
// handlers concurrently, so batches on different coupons upload at the same time and together keep
// more jobs outstanding than Klaviyo queues per account (100). To keep the test fast, the emulator's
// account limit is lowered to 10 and each batch keeps at most 5 jobs outstanding (standing in for the
// default 25): every batch alone stays within the limit, the five together want 25 > 10 queued jobs,
// as five batches of 25 exceed Klaviyo's 100.
const BATCHES = 5;
const PER_BATCH = 10_000; // 10 jobs each, 50 in all
const MAX_ACTIVE_JOBS = 10;
const couponIds = Array.from({ length: BATCHES }, (_, i) => `PARALLEL${i}`);
const codesOf = (b: number) =>
  Array.from({ length: PER_BATCH }, (_, i) => `PB${b}-${String(i).padStart(6, "0")}`);

function program() {
  const klaviyo = loadPackage();
  const batches = couponIds.map((externalId, b) => {
    const coupon = new klaviyo.Coupon(`coupon-${b}`, { externalId });
    return new klaviyo.CouponCodeBatch(`codes-${b}`, {
      couponId: coupon.couponId,
      codes: codesOf(b),
      maxConcurrentJobs: 5,
    });
  });
  return Promise.resolve({
    codeCounts: batches.map((batch) => batch.codeCount),
    failedCounts: batches.map((batch) => batch.failedCount),
    jobCounts: batches.map((batch) => batch.jobIds.apply((ids) => ids.length)),
  });
}

const skipReason = realEngineSkipReason();

(skipReason ? describe.skip : describe)(
  `acceptance: ${BATCHES} batches uploading in parallel through the real Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    const real = useRealStack({
      projectName: "klaviyo-parallel",
      program,
      emulator: { limits: { maxActiveJobs: MAX_ACTIVE_JOBS } },
    });

    it("pulumi up succeeds over the account's job limit and every coupon holds exactly its codes", async () => {
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
      assert.equal(up.summary.resourceChanges?.create, 1 + 2 * BATCHES); // stack, coupons, batches
      assert.deepEqual(
        up.outputs.codeCounts.value,
        couponIds.map(() => PER_BATCH),
      );
      assert.deepEqual(
        up.outputs.failedCounts.value,
        couponIds.map(() => 0),
      );
      // Each chunk was accepted exactly once: refused submissions were sent again, nothing twice.
      assert.deepEqual(
        up.outputs.jobCounts.value,
        couponIds.map(() => PER_BATCH / 1000),
      );
      for (const [b, couponId] of couponIds.entries()) {
        const live = [...(await liveCodes(real.emulator, couponId)).keys()].sort();
        assert.deepEqual(live, codesOf(b), `coupon ${couponId}`);
      }
      const refused = real.emulator.control
        .requestLog()
        .filter((r) => r.method === "POST" && r.path.startsWith("/api/coupon-code-bulk-create-jobs"))
        .filter((r) => r.status === 400).length;
      // The batches did run in parallel into the limit; Klaviyo's refusals were absorbed.
      assert.ok(refused > 0, "no submission was refused: the batches never reached the account's limit");
    });
  },
);
