import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { getCouponCodeAvailability } from "../../../provider/availability/counting";
import { useTestEmulator } from "../../../testkit/emulator";
import { parseCsv, runCli, type RunResult } from "../../../testkit/cliTestKit";
import {
  COUPON,
  E2,
  emulatorClient,
  EXPECTED,
  QUOTED_CODES,
  rendered,
  seedPool,
} from "../../../testkit/poolFixture";

/** One line on stderr, no stack trace. */
function assertOneLineError(r: RunResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}; stderr: ${r.stderr}`);
  assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, /^klaviyo-coupons: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe("klaviyoCoupons", () => {
  const emulator = useTestEmulator({}, { resetBetweenTests: false });
  let env: Record<string, string>;
  before(async () => {
    await seedPool(emulator());
    env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
  });

  describe("main", () => {
    it("prints help on stdout and exits 0 for --help at top level and on every command", async () => {
      const top = await runCli(["--help"], {});
      assert.equal(top.code, 0);
      assert.match(top.stdout, /^Usage: klaviyo-coupons <command>/);
      for (const command of ["availability", "coupons", "codes"]) {
        for (const argv of [
          [command, "--help"],
          [command, "-h"],
          ["help", command],
          [command, "--bogus", "--help"],
        ]) {
          const r = await runCli(argv, {});
          assert.equal(r.code, 0, argv.join(" "));
          assert.match(r.stdout, new RegExp(`^Usage: klaviyo-coupons ${command} `), argv.join(" "));
          assert.equal(r.stderr, "");
        }
      }
    });

    it("exits 2 with usage on stderr when no command is given", async () => {
      const r = await runCli([], env);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^Usage: klaviyo-coupons/);
    });

    it("exits 2 naming the problem for an unknown command, option or argument", async () => {
      assertOneLineError(
        await runCli(["stock"], env),
        2,
        /unknown command 'stock'; commands: availability, coupons, codes/,
      );
      assertOneLineError(await runCli(["--verbose"], env), 2, /unknown option '--verbose'/);
      assertOneLineError(await runCli(["toString"], env), 2, /unknown command 'toString'/);
      assertOneLineError(await runCli(["help", "toString"], env), 2, /unknown command 'toString'/);
      assertOneLineError(
        await runCli(["availability", "--coupon", COUPON, "--colour"], env),
        2,
        /'--colour'/,
      );
      assertOneLineError(await runCli(["availability", "--coupon", COUPON, "extra"], env), 2, /'extra'/);
      assertOneLineError(await runCli(["availability", "--coupon"], env), 2, /--coupon/);
    });

    it("names KLAVIYO_API_KEY and --api-key-file when no key is available", async () => {
      const r = await runCli(["availability", "--coupon", COUPON], { KLAVIYO_BASE_URL: emulator().url });
      assertOneLineError(r, 2, /KLAVIYO_API_KEY.*--api-key-file/);
    });

    it("reads a trimmed key from --api-key-file, resolved against the working directory", async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "klaviyo-cli-"));
      try {
        await fs.writeFile(path.join(dir, "key"), `\n  ${emulator().apiKey}  \n`);
        await fs.writeFile(path.join(dir, "empty"), " \n");
        const r = await runCli(
          ["availability", "--coupon", "OTHER", "--json", "--api-key-file", "key"],
          {
            KLAVIYO_BASE_URL: emulator().url,
            KLAVIYO_API_KEY: "pk_ignored_because_file_wins",
          },
          { cwd: dir },
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).total, 5);
        const empty = await runCli(["coupons", "--api-key-file", "empty"], env, { cwd: dir });
        assertOneLineError(empty, 2, /--api-key-file empty is empty/);
        const missing = await runCli(["coupons", "--api-key-file", "nope"], env, { cwd: dir });
        assertOneLineError(missing, 2, /cannot read --api-key-file nope \(ENOENT\)/);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it("exits 1 with the client's one-line message and never the key when Klaviyo refuses the key", async () => {
      const r = await runCli(["coupons"], { ...env, KLAVIYO_API_KEY: "pk_wrong_but_secret_0002" });
      assertOneLineError(r, 1, /^klaviyo-coupons: Klaviyo GET \/api\/coupons failed: 401 /);
      assert.doesNotMatch(r.stderr + r.stdout, /pk_wrong_but_secret_0002/);
    });

    it("prefers --base-url to KLAVIYO_BASE_URL and rejects plain http to other hosts", async () => {
      const r = await runCli(["availability", "--coupon", "OTHER", "--base-url", emulator().url], {
        ...env,
        KLAVIYO_BASE_URL: "http://127.0.0.1:1",
      });
      assert.equal(r.code, 0, r.stderr);
      const bad = await runCli(["coupons", "--base-url", "http://example.com"], env);
      assertOneLineError(bad, 2, /--base-url "http:\/\/example\.com" must use https /);
    });
  });

  describe("availability", () => {
    it("prints a readable table of counts per status", async () => {
      const r = await runCli(["availability", "--coupon", COUPON], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      const lines = r.stdout.split("\n");
      assert.equal(lines[0], "Coupon SPRING10 (all codes)");
      assert.ok(lines.includes("UNASSIGNED             195"), r.stdout);
      assert.ok(lines.includes("ASSIGNED_TO_PROFILE     35"), r.stdout);
      assert.ok(lines.includes("USED                    20"), r.stdout);
      assert.ok(lines.includes("TOTAL                  250"), r.stdout);
      assert.match(
        r.stdout,
        /Unassigned codes expire from 2027-01-01T00:00:00\+00:00 to 2028-01-01T00:00:00\+00:00\./,
      );
    });

    it("prints JSON equal to the library's answer for the same filters", async () => {
      const argv = [
        "availability",
        "--coupon",
        COUPON,
        "--expires-after",
        E2,
        "--expires-before",
        "2028-01-01",
        "--json",
      ];
      const r = await runCli(argv, env);
      assert.equal(r.code, 0, r.stderr);
      const expected = await getCouponCodeAvailability(
        { couponId: COUPON, expiresAfter: E2, expiresBefore: "2028-01-01" },
        emulatorClient(emulator()),
      );
      assert.deepEqual(JSON.parse(r.stdout), expected);
      assert.equal(expected.total, 100);
    });

    it("accepts --status in any case", async () => {
      const r = await runCli(["availability", "--coupon", COUPON, "--status", "used", "--json"], env);
      assert.equal(JSON.parse(r.stdout).total, 20);
    });

    it("exits 3 with the threshold message when fewer than --min unassigned codes remain", async () => {
      const r = await runCli(
        ["availability", "--coupon", COUPON, "--expires-after", E2, "--min", "126"],
        env,
      );
      assert.equal(r.code, 3);
      assert.match(r.stdout, /^Coupon SPRING10 \(expires_at >= 2027-06-01T00:00:00.000Z\)/);
      assert.equal(
        r.stderr,
        'klaviyo-coupons: Coupon "SPRING10" has 125 unassigned codes expiring at or after ' +
          "2027-06-01T00:00:00.000Z, below the minimum of 126.\n",
      );
    });

    it("exits 0 when unassigned codes reach --min exactly or exceed it", async () => {
      for (const min of [String(EXPECTED.fromE2.unassigned), "0"]) {
        const r = await runCli(
          ["availability", "--coupon", COUPON, "--expires-after", E2, "--min", min, "--json"],
          env,
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).unassigned, 125);
      }
    });

    it("exits 2 for a bad --min, --status, date, window or a --min/--status clash", async () => {
      const cases: Array<[string[], RegExp]> = [
        [["--min", "ten"], /--min must be a whole number/],
        [["--min", "1.5"], /--min must be a whole number/],
        [["--status", "FREE"], /--status must be one of/],
        [["--expires-after", "2027-02-30"], /--expires-after must be an RFC 3339 date-time/],
        [["--expires-before", "tomorrow"], /--expires-before must be/],
        [["--expires-after", E2, "--expires-before", "2027-01-01"], /earlier than --expires-before/],
        [["--status", "USED", "--min", "1"], /cannot be combined with --status USED/],
      ];
      for (const [extra, pattern] of cases) {
        assertOneLineError(await runCli(["availability", "--coupon", COUPON, ...extra], env), 2, pattern);
      }
    });

    it("exits 1 with Klaviyo's 404 for an unknown coupon", async () => {
      assertOneLineError(
        await runCli(["availability", "--coupon", "NOPE"], env),
        1,
        /GET \/api\/coupons\/NOPE failed: 404/,
      );
    });

    it("draws progress on stderr only when stderr is a terminal", async () => {
      const tty = await runCli(["availability", "--coupon", COUPON, "--json"], env, { tty: true });
      assert.match(tty.stderr, /\rCounting codes of SPRING10: \d+/);
      assert.ok(tty.stderr.endsWith("\r\u001b[K"), JSON.stringify(tty.stderr));
      assert.equal(JSON.parse(tty.stdout).total, 250);
      const pipe = await runCli(["availability", "--coupon", COUPON, "--json"], env, { tty: false });
      assert.equal(pipe.stderr, "");
    });
  });

  describe("coupons", () => {
    it("lists coupons with their code counts in a table", async () => {
      const r = await runCli(["coupons"], env);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split("\n");
      assert.match(lines[0], /^COUPON\s+CODES\s+UNASSIGNED\s+ASSIGNED\s+USED\s+DESCRIPTION$/);
      assert.match(lines[1], /^SPRING10\s+250\s+195\s+35\s+20\s+Spring, 10% off$/);
      assert.match(lines[2], /^OTHER\s+5\s+5\s+0\s+0$/);
      assert.match(lines[3], /^QUOTED\s+4\s+4\s+0\s+0\s+codes with, "odd" characters$/);
      assert.equal(lines.length, 4);
    });

    it("prints JSON with per-status counts", async () => {
      const r = await runCli(["coupons", "--json"], env, { tty: true });
      const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      assert.deepEqual(
        list.map((c) => [c.couponId, c.total, c.unassigned]),
        [
          ["SPRING10", 250, 195],
          ["OTHER", 5, 5],
          ["QUOTED", 4, 4],
        ],
      );
      assert.equal((list[0].counts as Record<string, number>).USED, 20);
      // Redraws are throttled, so which states appear depends on timing; the line is always cleared.
      assert.match(r.stderr, /^\r(Listing coupons|Counting codes: \d\/3 coupons)/);
      assert.ok(r.stderr.endsWith("\r\u001b[K"));
    });
  });

  describe("codes", () => {
    it("exports every matching code as CSV with a header row", async () => {
      const r = await runCli(["codes", "--coupon", COUPON, "--csv"], env);
      assert.equal(r.code, 0, r.stderr);
      const rows = parseCsv(r.stdout);
      assert.deepEqual(rows[0], ["coupon_id", "unique_code", "status", "expires_at", "profile_id"]);
      assert.equal(rows.length, 251);
      assert.deepEqual(rows[1], [
        "SPRING10",
        "S000",
        "ASSIGNED_TO_PROFILE",
        rendered("2027-01-01T00:00:00Z"),
        "PROFILE0",
      ]);
      assert.deepEqual(rows[250], ["SPRING10", "S249", "UNASSIGNED", rendered("2028-01-01T00:00:00Z"), ""]);
    });

    it("applies --status and expiry filters", async () => {
      const r = await runCli(
        ["codes", "--coupon", COUPON, "--status", "USED", "--expires-after", E2, "--csv"],
        env,
      );
      const rows = parseCsv(r.stdout).slice(1);
      assert.equal(rows.length, 20);
      assert.ok(rows.every((row) => row[2] === "USED"));
    });

    it("round-trips codes that need CSV quoting", async () => {
      const r = await runCli(["codes", "--coupon", "QUOTED", "--csv"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^QUOTED,"A,""B""",/m);
      const codes = parseCsv(r.stdout)
        .slice(1)
        .map((row) => row[1]);
      assert.deepEqual(codes.sort(), [...QUOTED_CODES].sort());
    });

    it("prints a JSON array, or a table by default", async () => {
      const json = await runCli(["codes", "--coupon", "QUOTED", "--json"], env);
      const records = JSON.parse(json.stdout) as Array<Record<string, string | null>>;
      assert.deepEqual(records.map((c) => c.unique_code).sort(), [...QUOTED_CODES].sort());
      assert.equal(records[0].profile_id, null);
      const none = await runCli(["codes", "--coupon", COUPON, "--status", "DELETING", "--json"], env);
      assert.deepEqual(JSON.parse(none.stdout), []);
      const table = await runCli(["codes", "--coupon", "OTHER"], env);
      assert.match(
        table.stdout,
        /^UNIQUE_CODE\s+STATUS\s+EXPIRES_AT\s+PROFILE_ID\nO0\s+UNASSIGNED\s+2027-01-01/,
      );
    });

    it("exits 2 when --csv and --json are combined and 1 for an unknown coupon", async () => {
      assertOneLineError(
        await runCli(["codes", "--coupon", COUPON, "--csv", "--json"], env),
        2,
        /cannot be combined/,
      );
      assertOneLineError(await runCli(["codes", "--coupon", "NOPE", "--csv"], env), 1, /404/);
    });
  });
});
