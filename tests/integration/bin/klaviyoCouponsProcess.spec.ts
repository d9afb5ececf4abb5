import { strict as assert } from "assert";
import { promises as fs, existsSync, readdirSync, statSync } from "fs";
import * as path from "path";
import { useTestEmulator } from "../../../testkit/emulator";
import { REPO_ROOT, parseCsv, runProcess } from "../../../testkit/cliTestKit";
import { COUPON, E2, seedPool } from "../../../testkit/poolFixture";

const DIST_ENTRY = path.join(REPO_ROOT, "dist", "bin", "klaviyoCoupons.js");

/** True when `npm run build` output exists and is newer than every CLI source (pretest builds it). */
function distIsFresh(): boolean {
  if (!existsSync(DIST_ENTRY)) return false;
  const built = statSync(DIST_ENTRY).mtimeMs;
  const sources = [
    ...readdirSync(path.join(REPO_ROOT, "bin")).map((f) => path.join("bin", f)),
    "provider/availability/counting.ts",
    "provider/availability/query.ts",
    "provider/client/errors.ts",
  ];
  return sources.every((f) => statSync(path.join(REPO_ROOT, f)).mtimeMs <= built);
}

async function packageJsonVersion(): Promise<string> {
  return JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8")).version;
}

describe("klaviyoCoupons (process)", () => {
  const emulator = useTestEmulator({}, { resetBetweenTests: false });
  let env: Record<string, string>;
  before(async () => {
    await seedPool(emulator());
    env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
  });

  describe("source entry (node -r ts-node/register bin/klaviyoCoupons.ts)", () => {
    it("exits 3 and prints parseable JSON when stock is below --min", async () => {
      const r = await runProcess(
        "source",
        ["availability", "--coupon", COUPON, "--json", "--min", "1000"],
        env,
      );
      assert.equal(r.code, 3, r.stderr);
      assert.equal(JSON.parse(r.stdout).unassigned, 195);
      assert.equal(
        r.stderr,
        'klaviyo-coupons: Coupon "SPRING10" has 195 unassigned codes, below the minimum of 1000.\n',
      );
    });

    it("exits 0 at the threshold, and prints no progress when stderr is not a terminal", async () => {
      const r = await runProcess(
        "source",
        ["availability", "--coupon", COUPON, "--expires-after", E2, "--min", "125"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /^UNASSIGNED\s+125$/m);
    });

    it("exits 2 with one line and no stack trace for bad arguments or a missing key", async () => {
      const bad = await runProcess("source", ["availability", "--coupon", COUPON, "--min", "lots"], env);
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr.trimEnd().split("\n").length, 1, bad.stderr);
      assert.doesNotMatch(bad.stderr, /\bat .*\.ts:\d+/);
      const noKey = await runProcess("source", ["coupons"], { KLAVIYO_BASE_URL: emulator().url });
      assert.equal(noKey.code, 2);
      assert.match(noKey.stderr, /KLAVIYO_API_KEY.*--api-key-file/);
    });

    it("prints klaviyo-coupons <version> from package.json for --version", async () => {
      const r = await runProcess("source", ["--version"], {});
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `klaviyo-coupons ${await packageJsonVersion()}\n`);
    });

    it("exits 1 with the client's message and never the key when the key is wrong", async () => {
      const r = await runProcess("source", ["codes", "--coupon", COUPON, "--csv"], {
        ...env,
        KLAVIYO_API_KEY: "pk_wrong_but_secret_0003",
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^klaviyo-coupons: Klaviyo GET \/api\/coupons\/SPRING10 failed: 401 /);
      assert.doesNotMatch(r.stderr + r.stdout, /pk_wrong_but_secret_0003/);
    });
  });

  describe("built entry (dist/bin/klaviyoCoupons.js)", () => {
    before(function () {
      // `npm test` builds first (pretest); a lone mocha run without a fresh build skips these.
      if (!distIsFresh()) this.skip();
    });

    it("starts with a node shebang so npm can link it as a bin", async () => {
      const text = await fs.readFile(DIST_ENTRY, "utf8");
      assert.ok(text.startsWith("#!/usr/bin/env node\n"));
    });

    it("exports codes as CSV and lists coupons", async () => {
      const csv = await runProcess(DIST_ENTRY, ["codes", "--coupon", "QUOTED", "--csv"], env);
      assert.equal(csv.code, 0, csv.stderr);
      assert.equal(parseCsv(csv.stdout).length, 5);
      const coupons = await runProcess(DIST_ENTRY, ["coupons", "--json"], env);
      assert.equal(coupons.code, 0, coupons.stderr);
      assert.deepEqual(
        JSON.parse(coupons.stdout).map((c: { couponId: string }) => c.couponId),
        ["SPRING10", "OTHER", "QUOTED"],
      );
    });

    it("prints help and exits 0", async () => {
      const r = await runProcess(DIST_ENTRY, ["--help"], {});
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: klaviyo-coupons <command>/);
    });

    it("prints klaviyo-coupons <version> from package.json for --version", async () => {
      const r = await runProcess(DIST_ENTRY, ["--version"], {});
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `klaviyo-coupons ${await packageJsonVersion()}\n`);
    });
  });
});
