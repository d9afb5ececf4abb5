import { strict as assert } from "assert";
import { diff } from "../../../../provider/coupon/handlers";
import { UNKNOWN } from "../../../../provider/values";

const olds = { couponId: "A", externalId: "A", description: "d", lowBalanceThreshold: null, adopt: false };

describe("couponHandlers", () => {
  describe("diff", () => {
    it("reports no changes when inputs are identical", async () => {
      assert.deepEqual(await diff("A", olds, { externalId: "A", description: "d", adopt: false }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("updates in place when the description or threshold changes", async () => {
      const d1 = await diff("A", olds, { externalId: "A", description: "e", adopt: false });
      const d2 = await diff("A", olds, {
        externalId: "A",
        description: "d",
        lowBalanceThreshold: 5,
        adopt: false,
      });
      const d3 = await diff("A", olds, { externalId: "A", adopt: false });
      for (const d of [d1, d2, d3]) assert.deepEqual([d.changes, d.replaces], [true, []]);
    });

    it("replaces, deleting first, when externalId changes", async () => {
      const d = await diff("A", olds, { externalId: "B", description: "d", adopt: false });
      assert.deepEqual(d, { changes: true, replaces: ["externalId"], deleteBeforeReplace: true });
    });

    it("reports a change when a value is unknown in preview", async () => {
      const d = await diff("A", olds, { externalId: "A", description: UNKNOWN, adopt: false });
      assert.equal(d.changes, true);
      assert.deepEqual(d.replaces, []);
    });
  });
});
