import { strict as assert } from "assert";
import { captureProvider } from "../../../../testkit/harness/captureProvider";
import { isWireSecret } from "../../../../testkit/harness/secrets";
import { CouponCodeBatch } from "../../../../provider/batch/resource";

describe("CouponCodeBatch", () => {
  describe("constructor", () => {
    it("registers the codes input as a secret by default", async () => {
      const captured = await captureProvider(
        () => new CouponCodeBatch("secret-codes", { couponId: "C", codes: ["A1", "B2"] }),
      );
      assert.equal(captured.type, "pulumi-nodejs:dynamic/klaviyo:CouponCodeBatch");
      assert.ok(isWireSecret(captured.inputs.codes), JSON.stringify(captured.inputs.codes));
      assert.equal(captured.secret, false, "the provider text must not capture secrets");
    });

    it("leaves the codes input plain when secretCodes is false", async () => {
      const captured = await captureProvider(
        () => new CouponCodeBatch("plain-codes", { couponId: "C", codes: ["A1"], secretCodes: false }),
      );
      assert.deepEqual(captured.inputs.codes, ["A1"]);
    });

    it("registers a generate spec without codes", async () => {
      const captured = await captureProvider(
        () => new CouponCodeBatch("generated", { couponId: "C", generate: { count: 5, length: 8 } }),
      );
      assert.equal(captured.inputs.codes, undefined);
      assert.deepEqual(captured.inputs.generate, { count: 5, length: 8 });
    });
  });
});
