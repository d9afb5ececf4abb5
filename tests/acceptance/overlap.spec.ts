import { strict as assert } from "assert";
import { liveCodes, loadPackage, realEngineSkipReason, useRealStack } from "./realEngine";

const FIRST = Array.from({ length: 60 }, (_, i) => `OV-${String(i).padStart(4, "0")}`);
// The second batch shares ten codes with the first.
const SECOND = [
  ...FIRST.slice(50),
  ...Array.from({ length: 40 }, (_, i) => `OW-${String(i).padStart(4, "0")}`),
];
let withFirst = true;
let withStrict = false;

function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("coupon", { externalId: "OVERLAP" });
  const first = withFirst
    ? new klaviyo.CouponCodeBatch("first", { couponId: coupon.couponId, codes: FIRST })
    : undefined;
  // Created after the first, so its shared codes already exist when it uploads.
  const second = new klaviyo.CouponCodeBatch(
    "second",
    { couponId: coupon.couponId, codes: SECOND },
    first ? { dependsOn: [first] } : {},
  );
  if (withStrict) {
    new klaviyo.CouponCodeBatch("strict", {
      couponId: coupon.couponId,
      codes: [SECOND[0], "OX-0001"],
      adoptExisting: false,
    });
  }
  return Promise.resolve({ adopted: second.adoptedCodes });
}

const skipReason = realEngineSkipReason();

// Two batches of one stack listing the same codes (issue 11, item 2), under the real engine.
(skipReason ? describe.skip : describe)(
  `acceptance: two batches sharing codes${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(300_000);
    const real = useRealStack({ projectName: "klaviyo-overlap", program });
    after(() => {
      withFirst = true;
      withStrict = false;
    });

    it("reports the codes the second batch adopted, with a warning", async () => {
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
      assert.equal(up.outputs.adopted.value, 10);
      assert.match(
        real.takeOutput(),
        /coupon OVERLAP: 10 declared codes already existed in Klaviyo and were adopted/,
      );
    });

    it("keeps the shared codes in Klaviyo when the first batch leaves the program", async () => {
      withFirst = false;
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
      assert.equal(up.summary.resourceChanges?.delete, 1);
      assert.match(
        real.takeOutput(),
        /10 codes leaving this batch are declared by another batch of this stack/,
      );
      assert.deepEqual([...(await liveCodes(real.emulator, "OVERLAP")).keys()].sort(), [...SECOND].sort());
    });

    it("refuses, changing nothing, codes that already exist for a batch with adoptExisting false", async () => {
      withStrict = true;
      real.emulator.control.resetRequestLog();
      await assert.rejects(
        real.throwaway.stack.up({ onOutput: real.onOutput }),
        /1 declared codes already exist on coupon "OVERLAP" .* adoptExisting is false; nothing was changed/s,
      );
      const writes = real.emulator.control.requestLog().filter((r) => r.method !== "GET");
      assert.deepEqual(writes, []);
      assert.deepEqual([...(await liveCodes(real.emulator, "OVERLAP")).keys()].sort(), [...SECOND].sort());
    });
  },
);
