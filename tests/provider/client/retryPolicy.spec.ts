import { strict as assert } from "assert";
import { backoffDelay, parseRetryAfter } from "../../../provider/client/retryPolicy";

describe("retryPolicy", () => {
  describe("parseRetryAfter", () => {
    it("reads integer seconds and HTTP dates", () => {
      assert.equal(parseRetryAfter("3"), 3);
      assert.equal(parseRetryAfter(["2"]), 2);
      assert.equal(parseRetryAfter(undefined), undefined);
      assert.equal(parseRetryAfter("soon"), undefined);
      const inTwo = new Date(Date.now() + 2000).toUTCString();
      assert.ok((parseRetryAfter(inTwo) ?? -1) >= 1);
    });
  });

  describe("backoffDelay", () => {
    it("stays within [0, min(max, base * 2^(n-1))]", () => {
      for (let n = 1; n < 40; n++) {
        const d = backoffDelay(n, 100, 5000);
        assert.ok(d >= 0 && d <= Math.min(5000, 100 * 2 ** (n - 1)), `n=${n} d=${d}`);
      }
    });
  });
});
