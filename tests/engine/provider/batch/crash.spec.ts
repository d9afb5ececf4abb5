import { strict as assert } from "assert";
import { DEFAULT_JOB_LATENCY } from "../../../../emulator";
import { sleep } from "../../../../testkit/sleep";
import { startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import { assertExactly, makeCodes, testClient, upBatch, upCoupon } from "../../../../testkit/batchTestKit";

// A provider host killed half-way through a large create, then a fresh host re-running it.
describe("CouponCodeBatch crash recovery (engine protocol)", function () {
  this.timeout(300_000);
  let stack: ProviderStack;

  before(async () => {
    // The emulator's default (plausible) job latency and real rate limits, not the fast test jobs.
    stack = await startProviderStack({ emulator: { jobs: { ...DEFAULT_JOB_LATENCY } } });
  });
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  describe("create", () => {
    it("reports the wall time and state size of a 20,000-code create", async () => {
      await upCoupon(stack, "timed-coupon", "TIMED20K");
      const codes = makeCodes("TM", 20_000);
      const started = Date.now();
      const result = await upBatch(stack, "timed", { couponId: "TIMED20K", codes });
      const seconds = (Date.now() - started) / 1000;
      assert.equal((result.outputs as any).codeCount, 20_000);
      const state = stack.engine.state("timed")!;
      const plainBytes = JSON.stringify(state.inputs).length + JSON.stringify(state.outputs).length;
      console.log(
        `      20,000-code create: ${seconds.toFixed(1)} s; state ${(plainBytes / 20_000).toFixed(1)} bytes/code ` +
          `before encryption (inputs + outputs, both holding the codes)`,
      );
      await assertExactly(testClient(stack), "TIMED20K", codes);
    });

    it("ends with exactly the declared codes when a fresh host re-runs a create the killed host left half done", async () => {
      await upCoupon(stack, "crash-coupon", "CRASH20K");
      const codes = makeCodes("CR", 20_000);
      const baseline = stack.emulator.control.counts().codes;
      const attempt = upBatch(stack, "crash", { couponId: "CRASH20K", codes }).then(
        () => "finished",
        (err: Error) => err.message,
      );
      // Kill once some jobs have produced codes, while others are still queued or running.
      const deadline = Date.now() + 60_000;
      while (stack.emulator.control.counts().codes - baseline < 4000 && Date.now() < deadline)
        await sleep(20);
      const createdAtKill = stack.emulator.control.counts().codes - baseline;
      await stack.host.kill("SIGKILL");
      const outcome = await attempt;
      assert.notEqual(outcome, "finished");
      assert.ok(createdAtKill >= 4000 && createdAtKill < 20_000, `killed at ${createdAtKill} codes`);
      assert.equal(stack.engine.state("crash"), undefined, "a create that never returned records nothing");

      await stack.restartHost();
      const result = await upBatch(stack, "crash", { couponId: "CRASH20K", codes });
      assert.equal(result.op, "create");
      assert.equal((result.outputs as any).codeCount, 20_000);
      assert.equal((result.outputs as any).failedCount, 0);
      await stack.emulator.control.waitForJobs();
      await assertExactly(testClient(stack), "CRASH20K", codes);
    });
  });
});
