import { strict as assert } from "assert";
import { readCouponCodes } from "../../../provider/csv/couponCsv";
import { parseCsv, runCli } from "../../../testkit/cliTestKit";
import { useTestEmulator } from "../../../testkit/emulator";
import { codeName, COUPON, QUOTED_CODES, seedPool } from "../../../testkit/poolFixture";

// Usage errors happen before any request, so these need no emulator: nothing listens on this port.
const OFFLINE = { KLAVIYO_API_KEY: "pk_codes_spec_key", KLAVIYO_BASE_URL: "http://127.0.0.1:9" };

/** SPRING10's unassigned codes (poolFixture): all but S000-S029 (assigned), S100-S119 (used), S200-S204. */
function unassignedSpring(): string[] {
  const held = (i: number) => i < 30 || (i >= 100 && i < 120) || (i >= 200 && i < 205);
  return Array.from({ length: 250 }, (_, i) => i)
    .filter((i) => !held(i))
    .map(codeName);
}

// The CSV, JSON and table exports are specified in klaviyoCoupons.spec.ts; these cover --klaviyo.
describe("codesCommand", () => {
  describe("runCodes", () => {
    const emulator = useTestEmulator({}, { resetBetweenTests: false });
    let env: Record<string, string>;
    before(async () => {
      await seedPool(emulator());
      env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
    });

    it("prints Klaviyo's import CSV, the Coupon Code header then the codes alone, with --csv --klaviyo", async () => {
      const r = await runCli(["codes", "--coupon", "OTHER", "--csv", "--klaviyo"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "Coupon Code\r\nO0\r\nO1\r\nO2\r\nO3\r\nO4\r\n");
    });

    it("exports only the unassigned codes across pages with --status UNASSIGNED, the header once", async () => {
      const argv = ["codes", "--coupon", COUPON, "--status", "UNASSIGNED", "--csv", "--klaviyo"];
      const r = await runCli(argv, env);
      assert.equal(r.code, 0, r.stderr);
      const rows = parseCsv(r.stdout);
      assert.deepEqual(rows[0], ["Coupon Code"]);
      assert.ok(rows.every((row) => row.length === 1));
      assert.deepEqual(
        rows.slice(1).map((row) => row[0]),
        unassignedSpring(),
      );
      assert.deepEqual(readCouponCodes(r.stdout, { format: "klaviyo" }), unassignedSpring());
    });

    it("quotes codes that need it, so they read back exactly", async () => {
      const r = await runCli(["codes", "--coupon", "QUOTED", "--csv", "--klaviyo"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^"A,""B"""\r$/m);
      assert.deepEqual(readCouponCodes(r.stdout, { format: "klaviyo" }).sort(), [...QUOTED_CODES].sort());
    });

    it("prints the header alone when no code matches", async () => {
      const argv = ["codes", "--coupon", COUPON, "--status", "DELETING", "--csv", "--klaviyo"];
      const r = await runCli(argv, env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "Coupon Code\r\n");
    });

    it("exits 2 naming --csv when --klaviyo is given without it", async () => {
      for (const extra of [[], ["--json"]]) {
        const r = await runCli(["codes", "--coupon", COUPON, "--klaviyo", ...extra], OFFLINE);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.equal(
          r.stderr,
          "klaviyo-coupons: --klaviyo needs --csv (see 'klaviyo-coupons codes --help')\n",
        );
      }
    });

    it("documents --klaviyo in the help", async () => {
      const r = await runCli(["codes", "--help"], {});
      assert.match(r.stdout, /\[--csv \[--klaviyo\] \| --json\]/);
      assert.match(r.stdout, /^ {2}--klaviyo +With --csv: print Klaviyo's import format/m);
    });
  });
});
