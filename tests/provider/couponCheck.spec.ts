import { strict as assert } from "assert";
import { checkCouponInputs } from "../../provider/couponCheck";
import { UNKNOWN } from "../../provider/values";

describe("couponCheck", () => {
  describe("checkCouponInputs", () => {
    const bad: Array<[string, Record<string, unknown>, string]> = [
      ["a missing externalId", {}, "externalId"],
      ["an empty externalId", { externalId: "" }, "externalId"],
      ["an externalId with spaces", { externalId: "SPRING 10" }, "externalId"],
      ["an externalId with quotes", { externalId: 'SPRING"10' }, "externalId"],
      ["a 65-character externalId", { externalId: "A".repeat(65) }, "externalId"],
      ["a numeric externalId", { externalId: 10 }, "externalId"],
      ["a numeric description", { externalId: "A", description: 5 }, "description"],
      ["an overlong description", { externalId: "A", description: "x".repeat(1001) }, "description"],
      ["a negative threshold", { externalId: "A", lowBalanceThreshold: -1 }, "lowBalanceThreshold"],
      ["a fractional threshold", { externalId: "A", lowBalanceThreshold: 1.5 }, "lowBalanceThreshold"],
      ["a string threshold", { externalId: "A", lowBalanceThreshold: "10" }, "lowBalanceThreshold"],
      ["a string adopt", { externalId: "A", adopt: "yes" }, "adopt"],
      ["an unknown property", { externalId: "A", external_id: "A" }, "external_id"],
    ];
    for (const [name, news, property] of bad) {
      it(`fails on ${property} when given ${name}`, () => {
        const { failures } = checkCouponInputs(news);
        assert.ok(
          failures.some((f) => f.property === property),
          JSON.stringify(failures),
        );
      });
    }

    it("normalises valid inputs and defaults adopt to false", () => {
      assert.deepEqual(checkCouponInputs({ externalId: "SPRING10", description: "10% off" }), {
        inputs: { externalId: "SPRING10", description: "10% off", adopt: false },
        failures: [],
      });
    });

    it("passes unknown values through during preview", () => {
      const { inputs, failures } = checkCouponInputs({ externalId: "A", description: UNKNOWN });
      assert.deepEqual(failures, []);
      assert.equal(inputs.description, UNKNOWN);
    });
  });
});
