import { strict as assert } from "assert";
import { runCli } from "../../../testkit/cliTestKit";

describe("stockCommand (usage)", () => {
  describe("runCheckStock", () => {
    // Usage errors happen before any request: nothing listens on this port.
    const ENV = { KLAVIYO_API_KEY: "pk_usage_spec_key", KLAVIYO_BASE_URL: "http://127.0.0.1:9" };

    it("exits 2 naming the option, the value and what is expected", async () => {
      const cases: Array<[string[], string]> = [
        [["--min", "-1"], '--min must be a whole number >= 0 (got "-1")'],
        [["--min", "lots"], '--min must be a whole number >= 0 (got "lots")'],
        [["--expiring-within", "0"], '--expiring-within must be a whole number of days >= 1 (got "0")'],
        [["--expiring-within=1.5"], '--expiring-within must be a whole number of days >= 1 (got "1.5")'],
        [["--expiring-within"], "--expiring-within needs a value: a whole number of days >= 1"],
        [["--coupon", "--json"], "--coupon needs a value: a coupon ID (it is followed by --json)"],
        [["--coupon="], '--coupon must be a coupon ID (got "")'],
        [["--json=yes"], '--json takes no value (got "yes")'],
        [["--status", "UNASSIGNED"], "unknown option '--status'"],
        [["SPRING10"], "unexpected argument 'SPRING10'"],
      ];
      for (const [extra, message] of cases) {
        const r = await runCli(["check-stock", ...extra], ENV);
        assert.equal(r.code, 2, `${extra.join(" ")}: exit ${r.code}; ${r.stderr}`);
        assert.equal(r.stdout, "");
        assert.equal(r.stderr, `klaviyo-coupons: ${message} (see 'klaviyo-coupons check-stock --help')\n`);
      }
    });

    it("prints its help with the exit statuses and the JSON shape, and is listed in the top-level help", async () => {
      const r = await runCli(["check-stock", "--help"], {});
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: klaviyo-coupons check-stock \[--coupon ID\]\.\.\. /);
      assert.match(r.stdout, /3 at least one pool is low/);
      assert.match(r.stdout, /thresholdSource \("coupon", "min"/);
      const top = await runCli(["--help"], {});
      assert.match(top.stdout, /^ {2}check-stock {4}Check every coupon's stock/m);
    });
  });
});
