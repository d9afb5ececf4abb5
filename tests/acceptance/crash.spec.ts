import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { liveCodes, loadPackage, realEngineSkipReason, type RealStack, useRealStack } from "./realEngine";

const COUNT = 20_000;
const CODES = Array.from({ length: COUNT }, (_, i) => `CR-${String(i).padStart(6, "0")}`);

/** The codes the program declares; the update scenario starts with half of them. */
let declared = CODES;
/** When set, the batch generates this many codes instead of declaring `declared`. */
let generated: number | undefined;

function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("coupon", { externalId: "CRASH20" });
  const batch = new klaviyo.CouponCodeBatch("codes", {
    couponId: coupon.couponId,
    ...(generated ? { generate: { count: generated, length: 10 } } : { codes: declared }),
  });
  return Promise.resolve({ codeCount: batch.codeCount, codes: batch.codes });
}

/** Direct children of `pid` (Linux `pgrep`). */
function children(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `pulumi up`, waits until the upload is under way (some codes exist, not all), and SIGKILLs the
 * CLI process, as a crashed CI runner or `kill -9` would. Returns the pid of the provider host the CLI
 * had started, and the CLI's failure.
 */
async function upAndKill(real: RealStack): Promise<{ hostPid: number; failure: Error }> {
  const before = real.emulator.control.counts().codes;
  const up = real.throwaway.stack.up({ onOutput: real.onOutput }).then(
    () => new Error("pulumi up finished before it was killed"),
    (err: Error) => err,
  );
  let cliPid = 0;
  await until(
    "the CLI runs",
    () => (cliPid = children(process.pid).find((p) => commandOf(p).includes(" up ")) ?? 0) > 0,
    60_000,
  );
  // Found before the upload starts, so nothing slow stands between the first codes and the kill.
  let hostPid = 0;
  await until(
    "the CLI has started its provider host",
    () => (hostPid = children(cliPid).find((p) => commandOf(p).includes("dynamic-provider")) ?? 0) > 0,
    60_000,
  );
  await until("codes are being uploaded", () => real.emulator.control.counts().codes > before, 120_000);
  process.kill(cliPid, "SIGKILL");
  assert.ok(real.emulator.control.counts().codes < COUNT, "the upload had finished before the kill");
  return { hostPid, failure: await up };
}

function pendingOperations(real: RealStack): Array<{ type: string; urn: string }> {
  const checkpoint = JSON.parse(real.stateFileText()).checkpoint.latest;
  return (checkpoint.pending_operations ?? []).map((p: { type: string; resource: { urn: string } }) => ({
    type: p.type,
    urn: p.resource.urn,
  }));
}

/** The end every recovery must reach: exactly the declared codes in Klaviyo and in the state. */
async function assertConverged(real: RealStack, codeCount: unknown): Promise<void> {
  assert.equal(declared, CODES);
  assert.equal(codeCount, COUNT);
  const live = await liveCodes(real.emulator, "CRASH20");
  assert.equal(live.size, COUNT, "no orphans and no missing codes");
  assert.deepEqual([...live.keys()].sort(), CODES);
  assert.deepEqual(pendingOperations(real), []);
}

/**
 * A fresh emulator and stack for one recovery (destroying 20,000 codes would take 20,000 DELETEs, about
 * six minutes at Klaviyo's 3,500 a minute). Returns the stack; valid inside tests.
 */
function useCrashStack(): RealStack {
  // Slower jobs (3 ms per code, as in the benchmarks' job model) leave seconds to kill the CLI mid-upload.
  return useRealStack({
    projectName: "klaviyo-crash",
    program,
    emulator: { jobs: { processingMsPerCode: 3 } },
  });
}

const skipReason = realEngineSkipReason();

(skipReason ? describe.skip : describe)(
  `acceptance: SIGKILL of pulumi up during a ${COUNT}-code upload${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    describe("recovery with pulumi cancel, pulumi refresh --clear-pending-creates and pulumi up", () => {
      const real = useCrashStack();

      it("leaves no provider host running, and a pending create and a lock in the state", async () => {
        const { hostPid, failure } = await upAndKill(real);
        assert.match(failure.message, /SIGKILL/);
        assert.ok(hostPid > 0, "the CLI had started a provider host");
        await until("the orphaned provider host has stopped", () => !alive(hostPid), 20_000);
        assert.deepEqual(
          pendingOperations(real).map((p) => p.type),
          ["creating"],
        );
        // The killed CLI still holds the stack's lock: the next up says so and names `pulumi cancel`.
        const locked = await real.throwaway.stack.up({ onOutput: real.onOutput }).then(
          () => assert.fail("up must refuse a locked stack"),
          (err: Error) => err.message,
        );
        assert.match(locked, /the stack is currently locked .* `pulumi cancel`/s);
      });

      it("converges to exactly the declared codes", async () => {
        const cancel = await real.run(["cancel", "--yes"]);
        assert.equal(cancel.code, 0, cancel.stderr);
        // Without a terminal to ask on, refresh leaves a pending create alone.
        const refresh = await real.run(["refresh", "--yes"]);
        assert.equal(refresh.code, 0, refresh.stderr);
        assert.deepEqual(
          pendingOperations(real).map((p) => p.type),
          ["creating"],
        );
        const cleared = await real.run(["refresh", "--yes", "--clear-pending-creates"]);
        assert.equal(cleared.code, 0, cleared.stderr + cleared.stdout);
        assert.deepEqual(pendingOperations(real), []);
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(
          up.summary.resourceChanges?.create,
          1,
          "the batch is created again, adopting what exists",
        );
        await assertConverged(real, up.outputs.codeCount.value);
      });
    });

    describe("recovery with pulumi cancel and pulumi up alone", () => {
      const real = useCrashStack();

      it("converges to exactly the declared codes, warning about the interrupted create", async () => {
        await upAndKill(real);
        // Let the jobs the killed run had submitted finish, so the next up finds their codes.
        await real.emulator.control.waitForJobs(60_000);
        assert.equal((await real.run(["cancel", "--yes"])).code, 0);
        real.takeOutput();
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.match(
          real.takeOutput(),
          /1 pending operations from previous deployment[\s\S]*interrupted while creating/,
        );
        assert.equal(up.summary.resourceChanges?.create, 1);
        // The engine keeps the stale pending create after a successful up; only refresh clears it.
        assert.deepEqual(
          pendingOperations(real).map((p) => p.type),
          ["creating"],
        );
        const cleared = await real.run(["refresh", "--yes", "--clear-pending-creates"]);
        assert.equal(cleared.code, 0, cleared.stderr + cleared.stdout);
        await assertConverged(real, up.outputs.codeCount.value);
        await real.throwaway.stack.preview({ onOutput: real.onOutput, expectNoChanges: true });
      });
    });

    describe("recovery of an interrupted update that adds 15,000 codes", () => {
      const real = useCrashStack();
      after(() => (declared = CODES));

      it("converges to exactly the declared codes with pulumi cancel and pulumi up, which clears the pending update", async () => {
        // 15,000 codes are 15 jobs: more than the 10 the emulator runs at once, so the kill can land
        // between the rounds (10 parallel jobs finish together, and could all finish before a kill).
        declared = CODES.slice(0, COUNT / 4);
        await real.throwaway.stack.up({ onOutput: real.onOutput });
        declared = CODES;
        const { hostPid } = await upAndKill(real);
        await until("the orphaned provider host has stopped", () => !alive(hostPid), 20_000);
        await real.emulator.control.waitForJobs(60_000);
        assert.deepEqual(
          pendingOperations(real).map((p) => p.type),
          ["updating"],
        );
        assert.equal((await real.run(["cancel", "--yes"])).code, 0);
        real.takeOutput();
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.update, 1);
        assert.match(real.takeOutput(), /interrupted while updating/);
        // Unlike a pending create, a pending update is cleared by the up that finishes it.
        await assertConverged(real, up.outputs.codeCount.value);
      });
    });

    describe("recovery of a generated pool whose create was killed", () => {
      const real = useCrashStack();
      before(() => (generated = COUNT));
      after(() => (generated = undefined));

      it("draws the same codes again, so Klaviyo ends with exactly count codes and none orphaned", async () => {
        await upAndKill(real);
        await real.emulator.control.waitForJobs(60_000);
        assert.equal((await real.run(["cancel", "--yes"])).code, 0);
        assert.equal((await real.run(["refresh", "--yes", "--clear-pending-creates"])).code, 0);
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.outputs.codeCount.value, COUNT);
        const live = await liveCodes(real.emulator, "CRASH20");
        assert.equal(live.size, COUNT, "codes of the killed run were orphaned");
        assert.deepEqual([...live.keys()].sort(), [...(up.outputs.codes.value as string[])].sort());
      });
    });
  },
);
