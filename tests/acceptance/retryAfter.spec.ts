import { strict as assert } from "assert";
import { loadPackage, realEngineSkipReason, useRealStack } from "./realEngine";

function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("coupon", { externalId: "WAIT" });
  const batch = new klaviyo.CouponCodeBatch("codes", {
    couponId: coupon.couponId,
    codes: ["WAIT-0001", "WAIT-0002", "WAIT-0003"],
  });
  return Promise.resolve({ codeCount: batch.codeCount });
}

const skipReason = realEngineSkipReason();

// A large Retry-After (issue 11, item 3) during pulumi refresh, under the real engine.
(skipReason ? describe.skip : describe)(
  `acceptance: Klaviyo asking to wait 15 minutes${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(300_000);
    const real = useRealStack({ projectName: "klaviyo-retry-after", program });
    before(() => real.throwaway.stack.up({ onOutput: real.onOutput }));

    it("fails the refresh at once with the requested wait, instead of stalling it silently", async () => {
      real.emulator.control.injectFault({
        method: "GET",
        path: "/api/coupon-codes",
        count: 1000,
        status: 429,
        retryAfter: 900,
      });
      const started = Date.now();
      const failure = await real.throwaway.stack.refresh({ onOutput: real.onOutput }).then(
        () => assert.fail("refresh must fail"),
        (err: Error) => err.message,
      );
      assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
      assert.match(failure, /Klaviyo asked to wait 900 s, more than the 60 s maximum/);
      real.emulator.control.clearFaults();
      const again = await real.throwaway.stack.refresh({ onOutput: real.onOutput });
      assert.deepEqual(again.summary.resourceChanges, { same: 3 });
    });
  },
);
