import { strict as assert } from "assert";
import { DEFAULT_JOB_LATENCY } from "../../../../emulator";
import { sleep } from "../../../../testkit/sleep";
import { startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import {
  assertExactly,
  expectPartial,
  liveCodes,
  testClient,
  upBatch,
  upCoupon,
  storedCodeList,
} from "../../../../testkit/batchTestKit";

// Generated codes after failures (issue 11, item 1): a re-run must repeat the codes it had drawn,
// which then exist and are adopted, never upload a second set and orphan the first.
describe("CouponCodeBatch generated codes after failures (engine protocol)", function () {
  this.timeout(300_000);
  let stack: ProviderStack;

  before(async () => {
    stack = await startProviderStack({ emulator: { jobs: { ...DEFAULT_JOB_LATENCY } } });
  });
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  const stored = (name: string) => ({
    codes: storedCodeList(stack.engine.state(name)!.outputs.codes),
    pendingCodes: storedCodeList(stack.engine.state(name)!.outputs.pendingCodes),
  });

  /** Runs `up`, kills the host once `atLeast` codes exist on the coupon (more to come), and starts a fresh host. */
  async function upAndKill(name: string, inputs: Record<string, unknown>, couponId: string, atLeast: number) {
    const attempt = upBatch(stack, name, inputs).then(
      () => "finished",
      (err: Error) => err.message,
    );
    const deadline = Date.now() + 60_000;
    while ((await liveCount(couponId)) < atLeast && Date.now() < deadline) await sleep(20);
    await stack.host.kill("SIGKILL");
    assert.notEqual(await attempt, "finished", "the apply finished before the kill");
    await stack.emulator.control.waitForJobs(60_000);
    await stack.restartHost();
  }

  const liveCount = async (couponId: string) => (await liveCodes(testClient(stack), couponId)).length;

  describe("create killed half-way", () => {
    it("ends with exactly count codes when a fresh host re-runs it", async () => {
      await upCoupon(stack, "c1", "GENKILL");
      const inputs = {
        couponId: "GENKILL",
        generate: { count: 5000, length: 10 },
        generationSeed: "t/dev/gen1",
      };
      await upAndKill("gen1", inputs, "GENKILL", 1000);
      const result = await upBatch(stack, "gen1", inputs);
      assert.equal(result.op, "create");
      assert.equal((result.outputs as { codeCount: number }).codeCount, 5000);
      await assertExactly(testClient(stack), "GENKILL", stored("gen1").codes);
    });
  });

  describe("update raising count killed half-way", () => {
    it("ends with exactly the new count when re-run from the old state", async () => {
      await upCoupon(stack, "c2", "GENRAISE");
      const inputs = {
        couponId: "GENRAISE",
        generate: { count: 1000, length: 10 },
        generationSeed: "t/dev/gen2",
      };
      await upBatch(stack, "gen2", inputs);
      const raised = { ...inputs, generate: { count: 4000, length: 10 } };
      await upAndKill("gen2", raised, "GENRAISE", 2000);
      assert.equal(stored("gen2").codes.length, 1000, "the state is the old one");
      const result = await upBatch(stack, "gen2", raised);
      assert.equal(result.op, "update");
      assert.equal(stored("gen2").codes.length, 4000);
      await assertExactly(testClient(stack), "GENRAISE", stored("gen2").codes);
    });
  });

  describe("a job outliving jobTimeoutSeconds", () => {
    it("keeps the drawn codes as pending and adopts them on the next up instead of uploading others", async () => {
      await upCoupon(stack, "c3", "GENSLOW");
      const inputs = {
        couponId: "GENSLOW",
        generate: { count: 800, length: 10 },
        generationSeed: "t/dev/gen3",
        jobTimeoutSeconds: 10,
      };
      stack.emulator.control.configure({ jobs: { ...DEFAULT_JOB_LATENCY, processingMsPerJob: 14_000 } });
      try {
        const failure = await expectPartial(() => upBatch(stack, "gen3", inputs));
        assert.match(failure.message, /800 of 800 codes are not in Klaviyo/);
        assert.equal(stored("gen3").pendingCodes.length, 800);
        await stack.emulator.control.waitForJobs(60_000);
      } finally {
        stack.emulator.control.configure({ jobs: { ...DEFAULT_JOB_LATENCY } });
      }
      const pending = stored("gen3").pendingCodes;
      const result = await upBatch(stack, "gen3", inputs);
      assert.equal(result.op, "update");
      assert.deepEqual([...stored("gen3").codes].sort(), [...pending].sort());
      assert.deepEqual(stored("gen3").pendingCodes, []);
      await assertExactly(testClient(stack), "GENSLOW", pending);
    });
  });

  describe("the same inputs created twice with the state lost", () => {
    it("draws the same codes the second time, so nothing is orphaned", async () => {
      await upCoupon(stack, "c4", "GENLOST");
      const inputs = {
        couponId: "GENLOST",
        generate: { count: 300, length: 10 },
        generationSeed: "t/dev/gen4",
      };
      await upBatch(stack, "gen4", inputs);
      const first = stored("gen4").codes;
      // A second resource with the same seed stands for the same program after its state was lost.
      await upBatch(stack, "gen4-again", inputs);
      assert.deepEqual(stored("gen4-again").codes, first);
      await assertExactly(testClient(stack), "GENLOST", first);
    });
  });
});
