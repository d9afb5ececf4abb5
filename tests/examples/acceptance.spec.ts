import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { DEFAULT_TEST_API_KEY, startEmulator, type RunningEmulator } from "../../emulator";
import { createKlaviyoClient } from "../../provider/client";
import { ensureBuilt, ensurePackageLink, REPO_ROOT } from "../../scripts/projectSetup";
import { createThrowawayStack, type ThrowawayStack } from "../../scripts/throwawayStack";

/** True when an executable `pulumi` is on PATH (checked synchronously so the skip shows in the title). */
function pulumiOnPath(): boolean {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) =>
    names.some((name) => {
      try {
        fs.accessSync(path.join(dir, name), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

const skipReason =
  process.env.PULUMI_ACC !== "1"
    ? "set PULUMI_ACC=1 to run"
    : !pulumiOnPath()
      ? "PULUMI_ACC=1 but no `pulumi` CLI on PATH"
      : undefined;

// The root example program through the real Pulumi CLI (Automation API) against the emulator, as
// `npm start` runs it, plus the lifecycle a user goes through afterwards.
(skipReason ? describe.skip : describe)(
  `acceptance: root example with the Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    let emulator: RunningEmulator;
    let throwaway: ThrowawayStack;
    const pulumiLog: string[] = [];
    const onOutput = (out: string) => pulumiLog.push(out);
    const client = () => createKlaviyoClient({ apiKey: DEFAULT_TEST_API_KEY, baseUrl: emulator.url });

    before(async () => {
      ensureBuilt(REPO_ROOT);
      ensurePackageLink(REPO_ROOT);
      emulator = await startEmulator();
      throwaway = await createThrowawayStack({
        cli: await PulumiCommand.get(),
        workDir: REPO_ROOT,
        baseUrl: emulator.url,
        apiKey: DEFAULT_TEST_API_KEY,
        prefix: "acceptance",
      });
    });
    after(async () => {
      const problems = await throwaway?.dispose({ skipDestroy: true });
      await emulator?.close();
      assert.deepEqual(problems ?? [], []);
    });
    afterEach(function () {
      if (this.currentTest?.state === "failed") console.log(pulumiLog.join(""));
      pulumiLog.length = 0;
    });

    describe("up", () => {
      it("creates the coupon and its eight codes and exports their status counts", async () => {
        const result = await throwaway.stack.up({ onOutput });
        assert.equal(result.outputs.couponId.value, "SPRING10");
        assert.deepEqual(result.outputs.statusCounts.value, { UNASSIGNED: 8 });
        assert.equal(result.outputs.codeCount.value, 8);
        assert.equal(result.summary.resourceChanges?.create, 3); // the stack, the coupon, the batch
        assert.deepEqual(emulator.control.counts().codes, 8);
      });
    });

    describe("preview", () => {
      it("reports no changes right after up", async () => {
        const result = await throwaway.stack.preview({ onOutput, expectNoChanges: true });
        assert.deepEqual(Object.keys(result.changeSummary), ["same"]);
      });
    });

    describe("up after a description change", () => {
      it("updates the coupon in place and leaves the codes alone", async () => {
        await throwaway.stack.setConfig("couponDescription", { value: "12% off the spring collection" });
        const result = await throwaway.stack.up({ onOutput });
        assert.equal(result.summary.resourceChanges?.update, 1);
        assert.equal(result.summary.resourceChanges?.replace, undefined);
        const coupon = await client().getCoupon("SPRING10");
        assert.equal(coupon.attributes.description, "12% off the spring collection");
      });
    });

    describe("refresh", () => {
      it("reports no changes", async () => {
        const result = await throwaway.stack.refresh({ onOutput, expectNoChanges: true });
        const changes = result.summary.resourceChanges ?? {};
        assert.deepEqual(Object.keys(changes), ["same"]);
      });
    });

    describe("destroy", () => {
      it("deletes the codes and the coupon", async () => {
        await throwaway.stack.destroy({ onOutput });
        assert.deepEqual(emulator.control.counts().coupons, 0);
        assert.deepEqual(emulator.control.counts().codes, 0);
      });
    });
  },
);
