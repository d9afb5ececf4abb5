import { strict as assert } from "assert";
import { captureProvider } from "../../../../testkit/harness/captureProvider";
import { isWireSecret } from "../../../../testkit/harness/secrets";
import type * as pulumi from "@pulumi/pulumi";
import { CouponCodeBatch } from "../../../../provider/batch/resource";
import { packStrings } from "../../../../provider/packedStrings";

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

    it("leaves the codes input plain, and packed, when secretCodes is false", async () => {
      const captured = await captureProvider(
        () => new CouponCodeBatch("plain-codes", { couponId: "C", codes: ["A1"], secretCodes: false }),
      );
      assert.equal(captured.inputs.codes, packStrings(["A1"]));
    });

    it("registers the codes packed into one string and reads the stored outputs back as lists", async () => {
      const codes = Array.from({ length: 2000 }, (_, i) => `PK${i}`);
      let batch: CouponCodeBatch | undefined;
      const captured = await captureProvider(() => {
        batch = new CouponCodeBatch("packed", { couponId: "C", codes });
      });
      assert.ok(isWireSecret(captured.inputs.codes));
      assert.equal(captured.inputs.codes.value, packStrings(codes));
      // The mocks store the inputs as the outputs: `codes` comes back packed, `pendingCodes` absent.
      const read = (output: pulumi.Output<string[]>) =>
        new Promise<string[]>((resolve) => output.apply(resolve));
      assert.deepEqual(await read(batch!.codes), codes);
      assert.deepEqual(await read(batch!.pendingCodes), []);
    });

    it("passes a list that is not all codes as it is, so check can name the element", async () => {
      const captured = await captureProvider(
        () => new CouponCodeBatch("bad", { couponId: "C", codes: ["A1", "B\nC"], secretCodes: false }),
      );
      assert.deepEqual(captured.inputs.codes, ["A1", "B\nC"]);
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
