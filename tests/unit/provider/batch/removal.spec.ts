import { strict as assert } from "assert";
import type { KlaviyoClient } from "../../../../provider/client";
import { patchExpiry } from "../../../../provider/batch/removal";
import type { Progress } from "../../../../provider/batch/progress";

function recording(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, update: (message) => void lines.push(message) };
}

describe("batch removal", () => {
  describe("patchExpiry", () => {
    it("calls nothing and prints no progress line when no code needs a new expiry", async () => {
      const progress = recording();
      const client = {
        updateCouponCode: () => assert.fail("no code to update"),
      } as unknown as KlaviyoClient;
      const errors = await patchExpiry(client, "SPRING10", [], "2027-06-30T23:59:59Z", progress);
      assert.equal(errors.size, 0);
      assert.deepEqual(progress.lines, []);
    });

    it("reports the codes updated when there are some", async () => {
      const progress = recording();
      const updated: string[] = [];
      const client = {
        updateCouponCode: async (id: string) => void updated.push(id),
      } as unknown as KlaviyoClient;
      await patchExpiry(client, "SPRING10", ["A1B2C3", "D4E5F6"], null, progress);
      assert.deepEqual(updated.sort(), ["SPRING10-A1B2C3", "SPRING10-D4E5F6"]);
      assert.equal(progress.lines.at(-1), "2/2 code expiries updated");
    });
  });
});
