import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createKlaviyoClient } from "../../../provider/client";
import { readCouponCodes } from "../../../provider/csv/couponCsv";
import { runCli, REPO_ROOT } from "../../../testkit/cliTestKit";
import { useTestEmulator } from "../../../testkit/emulator";

const CODES_CSV = path.join(REPO_ROOT, "examples", "csv", "codes.csv");

/** Codes of the coupon exported in the round trip, some needing CSV quoting. */
const EXPORTED = ["RT-1", 'RT,"2"', "RT\n3", " RT-4 "];

// The example's program reads codes.csv with the package's readCouponCodes and the default format; these
// specs hold the promises its README makes about that file and about exports it can read unchanged.
describe("examples/csv", () => {
  describe("readCouponCodes", () => {
    it("reads the seven codes of codes.csv from its code column, not its quoted multi-line notes", () => {
      assert.deepEqual(readCouponCodes(fs.readFileSync(CODES_CSV, "utf8")), [
        "SUMMER-A1B2C3",
        "SUMMER-D4E5F6",
        "SUMMER-G7H8J9",
        "SUMMER-K2L3M4",
        "SUMMER-N5P6Q7",
        "SUMMER-R8S9T2",
        "SUMMER-V3W4X5",
      ]);
    });

    describe("with klaviyo-coupons codes --csv", () => {
      const emulator = useTestEmulator({}, { resetBetweenTests: false });
      let env: Record<string, string>;
      before(async () => {
        const { url, apiKey, control } = emulator();
        env = { KLAVIYO_API_KEY: apiKey, KLAVIYO_BASE_URL: url };
        const client = createKlaviyoClient({ apiKey, baseUrl: url });
        await client.createCoupon({ external_id: "ROUNDTRIP", description: null });
        for (const unique_code of EXPORTED) {
          await client.createCouponCode({
            couponId: "ROUNDTRIP",
            unique_code,
            expires_at: "2030-01-01T00:00:00Z",
          });
        }
        control.assignCode("ROUNDTRIP- RT-4 ", "PROFILE4");
      });

      it("reads the full export unchanged, with every code in it", async () => {
        const all = await runCli(["codes", "--coupon", "ROUNDTRIP", "--csv"], env);
        assert.equal(all.code, 0, all.stderr);
        assert.deepEqual(readCouponCodes(all.stdout).sort(), [...EXPORTED].sort());
      });

      it("reads the unassigned codes exported in Klaviyo's format, in the klaviyo and auto formats", async () => {
        const argv = ["codes", "--coupon", "ROUNDTRIP", "--status", "UNASSIGNED", "--csv", "--klaviyo"];
        const unassigned = await runCli(argv, env);
        assert.equal(unassigned.code, 0, unassigned.stderr);
        const expected = EXPORTED.slice(0, 3).sort();
        assert.deepEqual(readCouponCodes(unassigned.stdout, { format: "klaviyo" }).sort(), expected);
        assert.deepEqual(readCouponCodes(unassigned.stdout).sort(), expected);
      });
    });
  });
});
