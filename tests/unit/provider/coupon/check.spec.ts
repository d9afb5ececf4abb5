import { strict as assert } from "assert";
import { checkCouponInputs } from "../../../../provider/coupon/check";
import { UNKNOWN } from "../../../../provider/values";
import { isCheckFailedError } from "../../../../testkit/harness/engine";
import { COUPON_TYPE, startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import { hostDecoded } from "../../../fixtures/malformedBatchInputs";

const DOT_REASON =
  'externalId must not be "." or "..": the id goes into URL paths, where such a segment names another endpoint';

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

    it('refuses "." and ".." as externalId, naming externalId: they cannot be addressed in a URL path', () => {
      for (const externalId of [".", ".."]) {
        assert.deepEqual(checkCouponInputs({ externalId }).failures, [
          { property: "externalId", reason: DOT_REASON },
        ]);
      }
    });

    it("accepts ids with dots that are not a whole dot segment", () => {
      for (const externalId of ["...", ".A", "A..B", "SPRING.10"]) {
        assert.deepEqual(checkCouponInputs({ externalId }).failures, [], externalId);
      }
    });

    it("cuts every echoed value at 64 characters with an ellipsis and the full length", () => {
      const big = "y".repeat(1_000_000);
      const cut = `"${"y".repeat(64)}…" (1000000 characters)`;
      assert.deepEqual(
        checkCouponInputs({ externalId: "A", adopt: big, lowBalanceThreshold: big }).failures,
        [
          {
            property: "lowBalanceThreshold",
            reason: `lowBalanceThreshold must be a whole number from 0 to 10000000, got ${cut}`,
          },
          { property: "adopt", reason: `adopt must be true or false, got ${cut}` },
        ],
      );
      assert.deepEqual(checkCouponInputs({ externalId: "A", [big]: 1 }).failures, [
        { property: `${"y".repeat(64)}… (1000000 characters)`, reason: `unknown property ${cut}` },
      ]);
      const [tooLong] = checkCouponInputs({ externalId: big }).failures;
      assert.equal(tooLong.reason, "externalId must be at most 64 characters (got 1000000)");
    });

    it('reports a "__proto__" key the host decoded into the prototype and ignores what it carried', () => {
      const news = hostDecoded('{"externalId":"A","__proto__":{"adopt":true,"description":"inherited"}}');
      assert.deepEqual(checkCouponInputs(news), {
        inputs: { externalId: "A", adopt: false },
        failures: [{ property: "__proto__", reason: 'unknown property "__proto__"' }],
      });
    });
  });

  describe("through the provider host", function () {
    this.timeout(120_000);
    let stack: ProviderStack;

    before(async () => {
      stack = await startProviderStack();
    });
    after(async () => {
      await stack?.close();
    });

    async function expectRefused(name: string, inputs: Record<string, unknown>, property: string) {
      const before = stack.emulator.control.counts().requests;
      await assert.rejects(stack.engine.up(name, COUPON_TYPE, inputs), (err: unknown) => {
        assert.ok(isCheckFailedError(err), String(err));
        assert.ok(
          err.failures.some((f) => f.property === property),
          JSON.stringify(err.failures),
        );
        return true;
      });
      assert.equal(stack.emulator.control.counts().requests, before, "no HTTP request");
      assert.equal(stack.engine.state(name), undefined, "nothing in state");
    }

    it('refuses a coupon ".." or "." at check, naming externalId, with zero emulator requests', async () => {
      await expectRefused("dotdot", { externalId: ".." }, "externalId");
      await expectRefused("dot", { externalId: "." }, "externalId");
      assert.equal(stack.emulator.control.counts().coupons, 0);
    });
  });
});
