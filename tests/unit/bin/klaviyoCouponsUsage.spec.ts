import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { runCli, REPO_ROOT, type RunResult } from "../../../testkit/cliTestKit";

// Usage errors happen before any request, so no emulator is needed: nothing listens on this port.
const ENV = { KLAVIYO_API_KEY: "pk_usage_spec_key", KLAVIYO_BASE_URL: "http://127.0.0.1:9" };

/** Exit 2 and exactly `message` on one stderr line, with the command's help hint. */
function assertUsage(r: RunResult, command: string, message: string): void {
  assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, `klaviyo-coupons: ${message} (see 'klaviyo-coupons ${command} --help')\n`);
}

describe("klaviyoCoupons (usage)", () => {
  describe("main", () => {
    it("prints klaviyo-coupons <version> from package.json and exits 0 for --version and -V", async () => {
      const { version } = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
      for (const flag of ["--version", "-V"]) {
        const r = await runCli([flag], {});
        assert.equal(r.code, 0, flag);
        assert.equal(r.stdout, `klaviyo-coupons ${version}\n`);
        assert.equal(r.stderr, "");
      }
    });

    it("mentions --version in the top-level help", async () => {
      const r = await runCli(["--help"], {});
      assert.match(r.stdout, /^ {2}-V, --version +Print "klaviyo-coupons <version>" and exit\.$/m);
    });
  });

  describe("availability", () => {
    it("exits 2 naming the option, the value and what is expected for an invalid value", async () => {
      const cases: Array<[string[], string]> = [
        [["--min", "-5"], '--min must be a whole number >= 0 (got "-5")'],
        [["--min=-5"], '--min must be a whole number >= 0 (got "-5")'],
        [["--min", "1.5"], '--min must be a whole number >= 0 (got "1.5")'],
        [["--min", "lots"], '--min must be a whole number >= 0 (got "lots")'],
        [["--min"], "--min needs a value: a whole number >= 0"],
        [
          ["--status", "FREE"],
          "--status must be one of UNASSIGNED, PROCESSING, ASSIGNED_TO_PROFILE, USED, VERSION_NOT_ACTIVE " +
            'or DELETING (got "FREE")',
        ],
        [
          ["--expires-after", "tomorrow"],
          "--expires-after must be an RFC 3339 date-time with seconds and Z or an offset (2026-06-01T00:00:00Z) or a date " +
            '(2026-06-01) (got "tomorrow")',
        ],
        [
          ["--expires-before", "-1"],
          "--expires-before must be an RFC 3339 date-time with seconds and Z or an offset (2026-06-01T00:00:00Z) or a date " +
            '(2026-06-01) (got "-1")',
        ],
        [["--json=yes"], '--json takes no value (got "yes")'],
      ];
      for (const [extra, message] of cases) {
        assertUsage(
          await runCli(["availability", "--coupon", "SPRING10", ...extra], ENV),
          "availability",
          message,
        );
      }
      assertUsage(
        await runCli(["availability", "--coupon", "--json"], ENV),
        "availability",
        "--coupon needs a value: a coupon ID (it is followed by --json)",
      );
    });
  });

  describe("codes", () => {
    it("exits 2 naming the option and what is expected for a missing or empty value", async () => {
      assertUsage(
        await runCli(["codes", "--coupon", "SPRING10", "--api-key-file"], ENV),
        "codes",
        "--api-key-file needs a value: the path of a file holding the API key",
      );
      assertUsage(
        await runCli(["codes", "--coupon="], ENV),
        "codes",
        '--coupon must be a coupon ID (got "")',
      );
    });
  });

  describe("coupons", () => {
    it("exits 2 naming --base-url or the variable it came from, and the value where it is safe to show", async () => {
      assertUsage(
        await runCli(["coupons", "--base-url", "http://example.com"], ENV),
        "coupons",
        '--base-url "http://example.com" must use https (plain http is allowed only for loopback addresses)',
      );
      assertUsage(
        await runCli(["coupons"], { ...ENV, KLAVIYO_BASE_URL: "https://user:hunter2@example.com" }),
        "coupons",
        "KLAVIYO_BASE_URL must not contain a user name or password (user:password@)",
      );
      assertUsage(
        await runCli(["coupons"], { ...ENV, KLAVIYO_REVISION: "latest" }),
        "coupons",
        'KLAVIYO_REVISION "latest" must look like YYYY-MM-DD or YYYY-MM-DD.suffix',
      );
    });

    it("exits 2 naming the key file or KLAVIYO_API_KEY, never the key, when the key cannot be sent", async () => {
      const key = "pk_two words_secret";
      const problem = "contains whitespace, control or non-ASCII characters; set it to the private key alone";
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "klaviyo-cli-"));
      try {
        await fs.writeFile(path.join(dir, "key"), `${key}\n`);
        const fromFile = await runCli(["coupons", "--api-key-file", "key"], ENV, { cwd: dir });
        assert.equal(fromFile.code, 2);
        assert.equal(fromFile.stderr, `klaviyo-coupons: --api-key-file key ${problem}\n`);
        const fromEnv = await runCli(["coupons"], { ...ENV, KLAVIYO_API_KEY: key });
        assert.equal(fromEnv.code, 2);
        assert.equal(fromEnv.stderr, `klaviyo-coupons: KLAVIYO_API_KEY ${problem}\n`);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
