import { strict as assert } from "assert";
import { isCheckFailedError } from "../../../../testkit/harness/engine";
import { useProviderStack } from "../../../../testkit/providerStack";
import {
  assertExactly,
  liveCodes,
  makeCodes,
  testClient,
  upBatch,
  upCoupon,
  storedCodeList,
} from "../../../../testkit/batchTestKit";
import { MALFORMED_BATCH_INPUTS } from "../../../fixtures/malformedBatchInputs";

// Delete policies, generated codes, UI-coupon expiration conflicts and bad input, through the
// real host with the emulator's real rate limits on.
describe("CouponCodeBatch policies and inputs (engine protocol)", function () {
  this.timeout(300_000);
  const stack = useProviderStack();
  let n = 0;

  async function coupon(): Promise<string> {
    const id = `POLICY${++n}`;
    await upCoupon(stack, `coupon-${n}`, id);
    return id;
  }

  describe("check", () => {
    it(`rejects ${MALFORMED_BATCH_INPUTS.length} malformed inputs, naming the property, with zero HTTP requests`, async () => {
      assert.ok(MALFORMED_BATCH_INPUTS.length >= 25);
      const before = stack.emulator.control.counts().requests;
      for (const c of MALFORMED_BATCH_INPUTS) {
        await assert.rejects(upBatch(stack, `bad-${c.name}`, c.inputs), (err: unknown) => {
          assert.ok(isCheckFailedError(err), `${c.name}: ${String(err)}`);
          assert.ok(
            err.failures.some((f) => f.property === c.property),
            `${c.name}: ${JSON.stringify(err.failures)}`,
          );
          return true;
        });
      }
      assert.equal(stack.emulator.control.counts().requests, before);
    });
  });

  describe("pruneExpired", () => {
    it("deletes nothing, pruned codes included, when fail-if-assigned refuses the apply; prunes on the next", async () => {
      const couponId = await coupon();
      const inputs = (count: number) => ({
        couponId,
        generate: { count, length: 10 },
        deletePolicy: "fail-if-assigned",
        pruneExpired: true,
      });
      const created = await upBatch(stack, "prune", inputs(10));
      const codes = storedCodeList((created.outputs as any).codes);
      const client = testClient(stack);
      stack.emulator.control.assignCode(`${couponId}-${codes[9]}`, "HOLDER");
      for (const code of codes.slice(0, 2)) {
        await client.updateCouponCode(`${couponId}-${code}`, { expires_at: "2026-01-01T00:00:00+00:00" });
      }
      // 2 expired leave 8; count 5 would remove the 3 newest, one of which a profile holds.
      await assert.rejects(upBatch(stack, "prune", inputs(5)), /fail-if-assigned|held|assigned/i);
      await assertExactly(client, couponId, codes);
      const pruned = await upBatch(stack, "prune", inputs(8));
      assert.equal((pruned.outputs as any).codeCount, 8);
      await assertExactly(client, couponId, codes.slice(2));
    });
  });

  describe("deletePolicy", () => {
    it("retain: removes codes from the batch but deletes nothing in Klaviyo", async () => {
      const couponId = await coupon();
      const codes = makeCodes("RT", 100);
      await upBatch(stack, "retain", { couponId, codes, deletePolicy: "retain" });
      const result = await upBatch(stack, "retain", {
        couponId,
        codes: codes.slice(10),
        deletePolicy: "retain",
      });
      assert.equal((result.outputs as any).retainedCodes, 10);
      assert.equal((result.outputs as any).codeCount, 90);
      await stack.engine.destroy("retain");
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("fail-if-assigned: refuses to delete anything when a removed code is held, and keeps state", async () => {
      const couponId = await coupon();
      const codes = makeCodes("FA", 100);
      await upBatch(stack, "strict", { couponId, codes, deletePolicy: "fail-if-assigned" });
      stack.emulator.control.assignCode(`${couponId}-${codes[5]}`, "PROFILE9");
      await assert.rejects(
        upBatch(stack, "strict", { couponId, codes: codes.slice(20), deletePolicy: "fail-if-assigned" }),
        /1 of the 20 codes to delete .* are held by profiles .* changed nothing/,
      );
      assert.equal((await liveCodes(testClient(stack), couponId)).length, 100);
      assert.equal((stack.engine.state("strict")!.outputs as any).codeCount, 100);
      await assert.rejects(stack.engine.destroy("strict"), /held by profiles/);
      await upBatch(stack, "strict", { couponId, codes, deletePolicy: "delete-unassigned" });
      await stack.engine.destroy("strict");
      await assertExactly(testClient(stack), couponId, [codes[5]]);
    });
  });

  describe("generate", () => {
    it("draws codes once, keeps them stable, adds when count rises and removes the newest when it falls", async () => {
      const couponId = await coupon();
      const spec = { count: 300, length: 10, prefix: "GN-" };
      const first = await upBatch(stack, "gen", { couponId, generate: spec });
      const codes = storedCodeList(first.outputs.codes);
      assert.equal(codes.length, 300);
      assert.ok(codes.every((c) => /^GN-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/.test(c)));
      assert.ok(!stack.engine.stateText().includes(codes[0]));
      assert.equal((await upBatch(stack, "gen", { couponId, generate: spec })).op, "same");

      const grown = await upBatch(stack, "gen", { couponId, generate: { ...spec, count: 350 } });
      const grownCodes = storedCodeList(grown.outputs.codes);
      assert.deepEqual(grownCodes.slice(0, 300), codes);
      const shrunk = await upBatch(stack, "gen", { couponId, generate: { ...spec, count: 320 } });
      assert.deepEqual(storedCodeList(shrunk.outputs.codes), grownCodes.slice(0, 320));
      await assertExactly(testClient(stack), couponId, grownCodes.slice(0, 320));
    });
  });

  describe("UI-created coupons", () => {
    const expiry = "2027-05-01T00:00:00+00:00";

    it("explains the rule when codes lack the coupon's expiration date, then succeeds once aligned", async () => {
      stack.emulator.control.seedUiCoupon({ externalId: "UIEXP", expiresAt: expiry });
      const codes = makeCodes("UI", 30);
      const err = await upBatch(stack, "ui1", { couponId: "UIEXP", codes }).catch((e: Error) => e);
      assert.match(
        String(err),
        /Rule: the coupon was created in the Klaviyo UI with an expiration date, but the codes have none/,
      );
      assert.match(
        String(err),
        /refused 30 codes of coupon "UIEXP" \(for example UI\*{6}\(8\), UI\*{6}\(8\), UI\*{6}\(8\)\)/,
      );
      assert.match(String(err), /Fix: set expiresAt/);
      await assert.rejects(
        upBatch(stack, "ui1", { couponId: "UIEXP", codes, expiresAt: "2027-06-01T00:00:00+00:00" }),
        /Rule: the coupon was created in the Klaviyo UI with an expiration date, and the codes' expiresAt differs/,
      );
      const ok = await upBatch(stack, "ui1", { couponId: "UIEXP", codes, expiresAt: expiry });
      assert.equal((ok.outputs as any).codeCount, 30);
    });

    it("explains the rule when codes carry an expiry the coupon does not have", async () => {
      stack.emulator.control.seedUiCoupon({ externalId: "UINOEXP", expiresAt: null });
      await assert.rejects(
        upBatch(stack, "ui2", { couponId: "UINOEXP", codes: makeCodes("UN", 5), expiresAt: expiry }),
        /Rule: the coupon was created in the Klaviyo UI without an expiration date, but the codes have one. Fix: remove expiresAt/,
      );
    });
  });
});
