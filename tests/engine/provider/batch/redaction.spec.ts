import { strict as assert } from "assert";
import { codeSet, maskCode, redactCodes, redactError } from "../../../../provider/batch/redaction";
import { startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import { makeCodes, upBatch, upCoupon } from "../../../../testkit/batchTestKit";

describe("codeRedaction", () => {
  describe("maskCode", () => {
    it("keeps at most two leading characters and the length", () => {
      assert.equal(maskCode("SPRING-7KQ2M9"), "SP***********(13)");
      assert.equal(maskCode("AB12"), "A***(4)");
      assert.equal(maskCode("X"), "***(1)");
    });

    it("masks a string far longer than any code into a short text that still gives its length", () => {
      assert.equal(maskCode("S".repeat(1_000_000)), `SS${"*".repeat(62)}(1000000)`);
      assert.equal(maskCode("S".repeat(64)), `SS${"*".repeat(62)}(64)`);
    });
  });

  describe("redactCodes", () => {
    const codes = codeSet(["abc123", "SPR-XYZ789"]);

    it("masks known codes case-insensitively, also inside a code id, and leaves other words alone", () => {
      const text = "code ABC123 and spr-xyz789 failed; SPRING10-ABC123 too; ABC1234 is another code";
      assert.equal(
        redactCodes(text, codes, "SPRING10"),
        "code A*****(6) and sp********(10) failed; SPRING10-A*****(6) too; ABC1234 is another code",
      );
    });

    it("masks any code id in an API path, known or not", () => {
      const text = "Klaviyo DELETE /api/coupon-codes/SPRING10-UNKNOWN9 failed: 500 Server Error: boom";
      assert.equal(
        redactCodes(text, new Set(), "SPRING10"),
        "Klaviyo DELETE /api/coupon-codes/SP***************(17) failed: 500 Server Error: boom",
      );
    });
  });

  describe("redactError", () => {
    it("redacts message, stack and reasons in place, keeping partial state", () => {
      const err = Object.assign(new Error("ABC123 failed"), {
        id: "C/1",
        properties: { codes: ["ABC123"] },
        reasons: ["ABC123 x"],
      });
      const out = redactError(err, codeSet(["ABC123"]));
      assert.equal(out, err);
      assert.equal(out.message, "A*****(6) failed");
      assert.ok(!out.stack?.includes("ABC123"));
      assert.deepEqual((out as typeof err).reasons, ["A*****(6) x"]);
      assert.equal((out as typeof err).id, "C/1");
    });
  });

  describe("through the provider host", function () {
    this.timeout(120_000);
    let stack: ProviderStack;
    before(async () => (stack = await startProviderStack({ emulator: { rateLimits: { enabled: false } } })));
    after(async () => stack?.close());

    it("never prints a code when deleting codes fails for good", async () => {
      await upCoupon(stack, "coupon", "REDACT");
      const codes = makeCodes("RDX", 5);
      await upBatch(stack, "codes", { couponId: "REDACT", codes });
      stack.emulator.control.injectFault({
        method: "DELETE",
        path: "/api/coupon-codes/",
        count: 1000,
        status: 500,
      });
      const err = await stack.engine.destroy("codes").catch((e: Error) => e);
      stack.emulator.control.clearFaults();
      assert.ok(err instanceof Error, "destroy must fail");
      const text = `${err.message}\n${stack.host.output()}`;
      assert.match(err.message, /codes could not be deleted/);
      for (const code of codes) assert.ok(!text.includes(code), `${code} was printed:\n${text}`);
      await stack.engine.destroy("codes");
    });
  });
});
