import { strict as assert } from "assert";
import * as path from "path";
import { projectProgram } from "../../scripts/inlineProgram";
import { REPO_ROOT } from "../../scripts/projectSetup";
import { runnableExamples } from "../../scripts/startArgs";
import {
  acceptanceCli,
  CLI_BUILD_TIMEOUT_MS,
  realEngineSkipReason,
  startRealStack,
  type RealStack,
} from "./realEngine";

const skipReason = realEngineSkipReason();

// Every example as a user runs it: its own project directory and Pulumi.yaml, `pulumi up`, a preview
// with no changes, and `pulumi destroy`, through the real CLI against the emulator.
(skipReason ? describe.skip : describe)(
  `acceptance: every example through the real Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(300_000);
    before(async function () {
      this.timeout(CLI_BUILD_TIMEOUT_MS);
      await acceptanceCli();
    });

    const examples = runnableExamples();
    it("covers at least the five documented examples", () => {
      for (const name of ["basic", "csv", "generated", "real-account", "stock-guard"])
        assert.ok(examples.includes(name), name);
    });

    for (const example of examples) {
      describe(example, () => {
        let real: RealStack | undefined;
        after(async () => {
          if (!real) return;
          real.emulator.assertNoSpecViolations();
          assert.deepEqual(await real.close(), []);
        });

        it("goes through up, a preview without changes, and destroy, leaving nothing in Klaviyo", async () => {
          const dir = path.join(REPO_ROOT, "examples", example);
          const { projectName, program } = projectProgram(dir);
          real = await startRealStack({ projectName, program, workDir: dir });
          try {
            const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
            assert.ok(
              (up.summary.resourceChanges?.create ?? 0) >= 3,
              JSON.stringify(up.summary.resourceChanges),
            );
            assert.equal(typeof up.outputs.couponId?.value, "string");
            assert.ok(real.emulator.control.counts().codes > 0);
            await real.throwaway.stack.preview({ onOutput: real.onOutput, expectNoChanges: true });
            await real.throwaway.stack.destroy({ onOutput: real.onOutput });
            assert.deepEqual(
              {
                coupons: real.emulator.control.counts().coupons,
                codes: real.emulator.control.counts().codes,
              },
              { coupons: 0, codes: 0 },
            );
          } catch (err) {
            console.log(real.takeOutput());
            throw err;
          }
        });
      });
    }
  },
);
