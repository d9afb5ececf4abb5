import { strict as assert } from "assert";
import { existsSync, readdirSync, statSync } from "fs";
import * as path from "path";
import { REPO_ROOT, runProcess } from "../../../testkit/cliTestKit";
import { useTestEmulator } from "../../../testkit/emulator";
import { emulatorClient } from "../../../testkit/poolFixture";

const DIST_ENTRY = path.join(REPO_ROOT, "dist", "bin", "klaviyoCoupons.js");

/** True when `npm run build` output exists and is newer than every CLI source (pretest builds it). */
function distIsFresh(): boolean {
  if (!existsSync(DIST_ENTRY)) return false;
  const built = statSync(DIST_ENTRY).mtimeMs;
  const sources = [
    ...readdirSync(path.join(REPO_ROOT, "bin"), { recursive: true, encoding: "utf8" }).map((f) =>
      path.join("bin", f),
    ),
    "provider/availability/counting.ts",
    "provider/availability/query.ts",
    "provider/coupon/mappers.ts",
  ];
  return sources.every((f) => statSync(path.join(REPO_ROOT, f)).mtimeMs <= built);
}

// LOW holds 2 codes under a threshold of 5; FINE holds 3 codes and has no threshold of its own.
async function seed(emulator: ReturnType<ReturnType<typeof useTestEmulator>>): Promise<void> {
  const client = emulatorClient(emulator);
  await client.createCoupon({ external_id: "LOW", monitor_configuration: { low_balance_threshold: 5 } });
  await client.createCoupon({ external_id: "FINE", monitor_configuration: null });
  const far = new Date(Date.now() + 400 * 24 * 60 * 60 * 1000).toISOString();
  await client.bulkCreateCouponCodes([
    ...["L1", "L2"].map((c) => ({ couponId: "LOW", unique_code: c, expires_at: far })),
    ...["F1", "F2", "F3"].map((c) => ({ couponId: "FINE", unique_code: c, expires_at: far })),
  ]);
  await emulator.control.waitForJobs();
}

describe("stockCommand (process)", () => {
  const emulator = useTestEmulator({}, { resetBetweenTests: false });
  let env: Record<string, string>;
  before(async () => {
    await seed(emulator());
    env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
  });

  for (const [label, entry, fresh] of [
    ["source entry (bin/klaviyoCoupons.ts through ts-node)", "source", () => true],
    ["built entry (dist/bin/klaviyoCoupons.js)", DIST_ENTRY, distIsFresh],
  ] as const) {
    describe(label, () => {
      before(function () {
        // `npm test` builds first (pretest); a lone mocha run without a fresh build skips the built entry.
        if (!fresh()) this.skip();
      });

      it("exits 3 when a pool is low and 0 when every checked pool is fine", async () => {
        const low = await runProcess(entry, ["check-stock"], env);
        assert.equal(low.code, 3, low.stderr);
        assert.match(low.stdout, /^LOW\s+2\s+0\s+0\s+0\s+5\s+LOW$/m);
        assert.equal(low.stderr, "klaviyo-coupons: 1 of 2 coupons is low: LOW (2 < 5)\n");
        const fine = await runProcess(
          entry,
          ["check-stock", "--coupon", "FINE", "--min", "3", "--json"],
          env,
        );
        assert.equal(fine.code, 0, fine.stderr);
        assert.equal(fine.stderr, "");
        assert.equal(JSON.parse(fine.stdout).coupons[0].thresholdSource, "min");
      });

      it("exits 1 with one line and no key when Klaviyo refuses the key, and 2 for a usage error", async () => {
        const key = "pk_wrong_but_secret_0043";
        const refused = await runProcess(entry, ["check-stock"], { ...env, KLAVIYO_API_KEY: key });
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /^klaviyo-coupons: Klaviyo GET \/api\/coupons failed: 401 [^\n]*\n$/);
        assert.doesNotMatch(refused.stderr + refused.stdout, new RegExp(key));
        const usage = await runProcess(entry, ["check-stock", "--expiring-within", "0"], env);
        assert.equal(usage.code, 2);
        assert.equal(usage.stdout, "");
        assert.equal(usage.stderr.trimEnd().split("\n").length, 1, usage.stderr);
      });
    });
  }
});
