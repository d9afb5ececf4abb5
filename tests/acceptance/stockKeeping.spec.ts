import { strict as assert } from "assert";
import { main } from "../../bin/klaviyoCoupons";
import { createKlaviyoClient } from "../../provider/client";
import { liveCodes, loadPackage, realEngineSkipReason, useRealStack } from "./realEngine";

const COUPON = "STOCKED";

// What the program declares; tests switch pruning on.
const declared = { pruneExpired: false };

function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("stocked", { externalId: COUPON, lowBalanceThreshold: 10 });
  const pool = new klaviyo.CouponCodeBatch("pool", {
    couponId: coupon.couponId,
    generate: { count: 20, length: 10, keepUnassigned: 15 },
    expiresAt: "2031-01-01T00:00:00Z",
    pruneExpired: declared.pruneExpired,
  });
  return Promise.resolve({
    codeCount: pool.codeCount,
    availableCodes: pool.availableCodes,
    added: klaviyo.addedCodes(pool),
  });
}

function unassigned(codes: Map<string, { status: string | null }>): string[] {
  return [...codes].filter(([, live]) => live.status === "UNASSIGNED").map(([code]) => code);
}

const skipReason = realEngineSkipReason();

// Issue 16: the provider keeps a generated pool stocked (keepUnassigned) and clean (pruneExpired).
(skipReason ? describe.skip : describe)(
  `acceptance: keeping pools stocked and clean${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    const real = useRealStack({ projectName: "klaviyo-stock", program });

    it("creates max(count, keepUnassigned) codes and reports them as added", async () => {
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
      assert.equal(up.outputs.codeCount.value, 20);
      assert.equal(up.outputs.availableCodes.value, 20);
      assert.equal(up.outputs.added.value.length, 20);
      assert.equal(up.outputs.added.secret, true);
    });

    it("tops the pool up after customers took codes out of band, then does nothing on the next run", async () => {
      const taken = unassigned(await liveCodes(real.emulator, COUPON)).slice(0, 10);
      taken.forEach((code, i) => real.emulator.control.assignCode(`${COUPON}-${code}`, `PROFILE-${i}`));
      await real.throwaway.stack.refresh({ onOutput: real.onOutput });
      const preview = await real.throwaway.stack.preview({ onOutput: real.onOutput });
      assert.match(
        `${preview.stdout}\n${preview.stderr}`,
        /coupon STOCKED: 10 unassigned codes at the last refresh or apply, below keepUnassigned 15: this apply generates and uploads 5 codes/,
      );
      const up = await real.throwaway.stack.up({ onOutput: real.onOutput, refresh: true });
      assert.equal(up.summary.resourceChanges?.update, 1);
      const live = await liveCodes(real.emulator, COUPON);
      assert.equal(live.size, 25);
      assert.equal(unassigned(live).length, 15);
      assert.equal(up.outputs.codeCount.value, 25);
      assert.equal(up.outputs.availableCodes.value, 15);
      const added: string[] = up.outputs.added.value;
      assert.equal(added.length, 5);
      for (const code of added) assert.equal(live.get(code)?.status, "UNASSIGNED");
      for (const code of taken) assert.ok(live.has(code), "codes profiles hold stay");

      const again = await real.throwaway.stack.up({ onOutput: real.onOutput, refresh: true });
      assert.equal(
        again.summary.resourceChanges?.update ?? 0,
        0,
        JSON.stringify(again.summary.resourceChanges),
      );
      assert.equal((await liveCodes(real.emulator, COUPON)).size, 25);
    });

    it("prunes only expired codes no profile holds, says so in the preview, and then does nothing", async () => {
      const client = createKlaviyoClient({ apiKey: real.emulator.apiKey, baseUrl: real.emulator.url });
      const before = await liveCodes(real.emulator, COUPON);
      const expiring = unassigned(before).slice(0, 3);
      const heldExpiring = [...before].find(([, live]) => live.status === "ASSIGNED_TO_PROFILE")![0];
      for (const code of [...expiring, heldExpiring]) {
        await client.updateCouponCode(`${COUPON}-${code}`, { expires_at: "2026-01-01T00:00:00+00:00" });
      }
      declared.pruneExpired = true;
      await real.throwaway.stack.refresh({ onOutput: real.onOutput });
      const preview = await real.throwaway.stack.preview({ onOutput: real.onOutput });
      assert.match(
        `${preview.stdout}\n${preview.stderr}`,
        /coupon STOCKED: pruneExpired: 3 expired codes no profile holds are deleted \(1 expired codes profiles hold stay\)/,
      );
      await real.throwaway.stack.up({ onOutput: real.onOutput });
      const after = await liveCodes(real.emulator, COUPON);
      for (const code of expiring) assert.ok(!after.has(code), "an expired unheld code is deleted");
      assert.ok(after.has(heldExpiring), "an expired code a profile holds stays");
      // 3 gone, and 3 drawn again: 12 unexpired unassigned codes were 3 short of keepUnassigned.
      assert.equal(after.size, 25);
      assert.equal(unassigned(after).filter((c) => after.get(c)?.expiresAt?.startsWith("2031")).length, 15);

      const again = await real.throwaway.stack.up({ onOutput: real.onOutput, refresh: true });
      assert.equal(
        again.summary.resourceChanges?.update ?? 0,
        0,
        JSON.stringify(again.summary.resourceChanges),
      );
    });

    it("check-stock reports the pool low with exit 3 once customers draw it down, and 0 after up --refresh", async () => {
      const checkStock = async () => {
        let stdout = "";
        const io = {
          stdout: { write: (text: string) => ((stdout += text), true) },
          stderr: { write: () => true },
          env: { KLAVIYO_API_KEY: real.emulator.apiKey, KLAVIYO_BASE_URL: real.emulator.url },
        };
        const code = await main(["check-stock", "--json"], io);
        return { code, report: JSON.parse(stdout) as { coupons: Array<Record<string, unknown>> } };
      };
      const healthy = await checkStock();
      assert.equal(healthy.code, 0);
      assert.deepEqual(
        healthy.report.coupons.map((c) => [c.couponId, c.stock, c.threshold, c.low]),
        [[COUPON, 15, 10, false]],
      );
      const taken = unassigned(await liveCodes(real.emulator, COUPON));
      taken
        .slice(0, 8)
        .forEach((code, i) => real.emulator.control.assignCode(`${COUPON}-${code}`, `LATE-${i}`));
      const low = await checkStock();
      assert.equal(low.code, 3);
      assert.deepEqual(
        low.report.coupons.map((c) => [c.stock, c.low]),
        [[7, true]],
      );
      await real.throwaway.stack.up({ onOutput: real.onOutput, refresh: true });
      const restored = await checkStock();
      assert.equal(restored.code, 0);
      assert.equal(restored.report.coupons[0].stock, 15);
    });
  },
);
