import { strict as assert } from "assert";
import * as fs from "fs";
import { generateWireTypes, WIRE_TYPES_FILE } from "../../../scripts/generateWireTypes";

describe("generateWireTypes", () => {
  describe("generateWireTypes", () => {
    it("returns exactly the committed wireTypes.ts when the schemas have not changed since npm run generate", async function () {
      this.timeout(120_000);
      const expected = await generateWireTypes();
      assert.ok(
        fs.readFileSync(WIRE_TYPES_FILE, "utf8") === expected,
        "provider/client/wireTypes.ts is stale: run npm run generate",
      );
    });

    it("expands every type into plain TypeScript without zod", async function () {
      this.timeout(120_000);
      const text = await generateWireTypes();
      assert.doesNotMatch(text, /zod|Zod|\$strip|import /);
      for (const name of ["Coupon", "CouponCode", "CouponCodeStatus", "BulkCreateJob", "JobError"]) {
        assert.match(text, new RegExp(`export type ${name} =`));
      }
    });
  });
});
