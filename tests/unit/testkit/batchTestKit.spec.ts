import { strict as assert } from "assert";
import { CouponCodeBatch, type CouponCodeBatchArgs } from "../../../provider/batch/resource";
import { registeredBatchInputs } from "../../../testkit/batchTestKit";
import { captureProvider } from "../../../testkit/harness/captureProvider";
import { isSecret, isWireSecret } from "../../../testkit/harness/secrets";

// upBatch stands in for the `CouponCodeBatch` constructor in engine specs and benchmarks; its secrecy
// rule must stay the constructor's, or those runs would store `codes` differently from a real program.
describe("batchTestKit", () => {
  describe("registeredBatchInputs", () => {
    const cases: Array<[string, CouponCodeBatchArgs]> = [
      ["listed codes", { couponId: "C", codes: ["A1", "B2"] }],
      ["listed codes with secretCodes true", { couponId: "C", codes: ["A1"], secretCodes: true }],
      ["listed codes with secretCodes false", { couponId: "C", codes: ["A1"], secretCodes: false }],
      ["generated codes", { couponId: "C", generate: { count: 5, length: 8 } }],
    ];
    for (const [name, args] of cases) {
      it(`makes codes secret exactly when the constructor does: ${name}`, async () => {
        const captured = await captureProvider(
          () => new CouponCodeBatch(`kit-${name.replace(/ /g, "-")}`, args),
        );
        const registered = registeredBatchInputs(args as Record<string, unknown>);
        assert.equal(
          isSecret(registered.codes),
          isWireSecret(captured.inputs.codes),
          JSON.stringify(registered),
        );
      });
    }
  });
});
