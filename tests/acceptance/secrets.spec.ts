import { strict as assert } from "assert";
import { liveCodes, loadPackage, realEngineSkipReason, useRealStack } from "./realEngine";

const CODES = Array.from({ length: 20 }, (_, i) => `SECRET-${String(i).padStart(4, "0")}`);
const REFUSED = CODES.slice(0, 3);

function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("coupon", { externalId: "SECRETS" });
  const batch = new klaviyo.CouponCodeBatch("codes", { couponId: coupon.couponId, codes: CODES });
  return Promise.resolve({ failedCodes: batch.failedCodes, failedCount: batch.failedCount });
}

const skipReason = realEngineSkipReason();

// Codes Klaviyo refused must be as secret as the others (issue 11, item 10), under the real engine.
(skipReason ? describe.skip : describe)(
  `acceptance: refused codes stay secret${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(300_000);
    const real = useRealStack({ projectName: "klaviyo-secrets", program });

    it("keeps failedCodes secret in state and output, and no code in the CLI's error", async () => {
      real.emulator.control.setJobOutcome({ failCodes: REFUSED });
      const failure = await real.throwaway.stack.up({ onOutput: real.onOutput }).then(
        () => assert.fail("up must fail while Klaviyo refuses codes"),
        (err: Error) => err.message,
      );
      assert.match(failure, /3 of 20 codes are not in Klaviyo/);
      const printed = `${failure}\n${real.takeOutput()}`;
      for (const code of CODES) assert.ok(!printed.includes(code), `${code} printed`);
      const exported = await real.run(["stack", "export"]);
      assert.equal(exported.code, 0, exported.stderr);
      const state = JSON.parse(exported.stdout);
      const batch = state.deployment.resources.find((r: { type: string }) =>
        r.type.endsWith(":CouponCodeBatch"),
      );
      assert.equal(batch.outputs.failedCount, 3);
      assert.ok(batch.outputs.failedCodes?.ciphertext, "failedCodes must be stored encrypted");
      for (const code of CODES) assert.ok(!exported.stdout.includes(code), `${code} in state`);
    });

    it("uploads only the refused codes on the next up", async () => {
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
      assert.equal(up.outputs.failedCount.value, 0);
      assert.equal(up.outputs.failedCodes.secret, true);
      assert.deepEqual([...(await liveCodes(real.emulator, "SECRETS")).keys()].sort(), CODES);
    });
  },
);
