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

const JOBS = "/api/coupon-code-bulk-create-jobs";

// Faults while uploading, through the real host, with the emulator's real rate limits on. Each
// case ends by re-running `up` and checking Klaviyo holds exactly the declared codes.
describe("CouponCodeBatch faults (engine protocol)", function () {
  this.timeout(300_000);
  const stack = useProviderStack();
  let n = 0;

  async function freshCoupon(): Promise<{ couponId: string; name: string }> {
    const couponId = `FAULT${++n}`;
    await upCoupon(stack, `coupon-${n}`, couponId);
    return { couponId, name: `codes-${n}` };
  }

  /** The state must claim exactly the codes Klaviyo holds. */
  async function assertTruthful(name: string, couponId: string): Promise<string[]> {
    const state = stack.engine.state(name);
    const stored = state ? storedCodeList(state.outputs.codes) : [];
    const live = (await liveCodes(testClient(stack), couponId)).map((c) => c.code);
    assert.deepEqual([...stored].sort(), [...live].sort(), "state does not match Klaviyo");
    return stored;
  }

  describe("up", () => {
    it("absorbs a 429 storm on job submission without the user seeing it", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("RL", 3000);
      stack.emulator.control.injectFault({
        method: "POST",
        path: JOBS,
        count: 4,
        status: 429,
        retryAfter: 1,
      });
      const result = await upBatch(stack, name, { couponId, codes });
      assert.equal((result.outputs as any).codeCount, 3000);
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("absorbs 5xx storms on job submission and on polling", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("SX", 3000);
      stack.emulator.control.injectFault({ method: "POST", path: JOBS, count: 2, status: 503 });
      stack.emulator.control.injectFault({ method: "POST", path: JOBS, count: 1, status: 500 });
      stack.emulator.control.injectFault({ method: "GET", path: `${JOBS}/`, count: 6, status: 500 });
      const result = await upBatch(stack, name, { couponId, codes });
      assert.equal((result.outputs as any).codeCount, 3000);
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("records truthful partial state when polling fails for good, and converges on re-run", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("PS", 3000);
      stack.emulator.control.injectFault({ method: "GET", path: `${JOBS}/`, count: 500, status: 503 });
      const err = await expectPartial(() => upBatch(stack, name, { couponId, codes }));
      assert.match(
        err.details,
        /upload stopped: Klaviyo GET \/api\/coupon-code-bulk-create-jobs\/\S+ failed: 503/,
      );
      await assertTruthful(name, couponId);
      stack.emulator.control.clearFaults();
      await stack.emulator.control.waitForJobs();
      await upBatch(stack, name, { couponId, codes });
      await assertExactly(testClient(stack), couponId, codes);
      await assertTruthful(name, couponId);
    });

    it("reports the failed half of a job with reasons and retries only those", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("HF", 2000);
      stack.emulator.control.setJobOutcome({ jobs: 1, failFraction: 0.5 });
      const err = await expectPartial(() => upBatch(stack, name, { couponId, codes }));
      assert.match(err.details, /500 of 2000 codes are not in Klaviyo/);
      const outs = stack.engine.state(name)!.outputs as Record<string, any>;
      assert.equal(outs.failedCount, 500);
      assert.equal(outs.failedCodes.length, 100);
      assert.ok(outs.failedCodes.every((f: { reason: string }) => f.reason.length > 0));
      // Klaviyo's title and detail joined once, without the title's period: "...failed: Coupon code ..."
      assert.ok(
        outs.failedCodes.every((f: { reason: string }) =>
          /^Coupon code creation failed: Coupon code /.test(f.reason),
        ),
        outs.failedCodes[0].reason,
      );
      assert.equal(outs.codeCount, 1500);
      await assertTruthful(name, couponId);

      stack.emulator.control.resetRequestLog();
      await upBatch(stack, name, { couponId, codes });
      const jobPosts = stack.emulator.control
        .requestLog()
        .filter((r) => r.method === "POST" && r.path === JOBS);
      assert.equal(jobPosts.length, 1, "only the 500 failed codes should be uploaded again");
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("treats a cancelled job's codes as unknown, verifies them, and converges", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("CX", 3000);
      stack.emulator.control.setJobOutcome({ jobs: 1, cancel: true, cancelAfter: 300 });
      const err = await expectPartial(() => upBatch(stack, name, { couponId, codes }));
      assert.match(err.details, /700 of 3000 codes are not in Klaviyo/);
      assert.equal((stack.engine.state(name)!.outputs as any).codeCount, 2300);
      await assertTruthful(name, couponId);
      await upBatch(stack, name, { couponId, codes });
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("never re-sends a job whose response was lost, and adopts its codes on re-run", async () => {
      const { couponId, name } = await freshCoupon();
      const codes = makeCodes("LS", 2000);
      stack.emulator.control.configure({ jobs: { queuedMs: 1500 } });
      stack.emulator.control.injectFault({ method: "POST", path: JOBS, count: 1, dropAfterProcessing: true });
      stack.emulator.control.resetRequestLog();
      try {
        await upBatch(stack, name, { couponId, codes });
      } catch {
        // Whether the lost job finished before the final listing decides success; both are truthful.
      }
      const posts = stack.emulator.control.requestLog().filter((r) => r.method === "POST" && r.path === JOBS);
      assert.equal(posts.length, 2, "the lost submission must not be re-sent");
      await assertTruthful(name, couponId);
      stack.emulator.control.configure({ jobs: { queuedMs: 5 } });
      await stack.emulator.control.waitForJobs();
      await upBatch(stack, name, { couponId, codes });
      await assertExactly(testClient(stack), couponId, codes);
      await assertTruthful(name, couponId);
    });
  });
});
