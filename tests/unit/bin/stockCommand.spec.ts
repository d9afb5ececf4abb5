import { strict as assert } from "assert";
import type { CouponCodeCreate } from "../../../provider/client";
import { runCli, type RunResult } from "../../../testkit/cliTestKit";
import { useTestEmulator, type TestEmulator } from "../../../testkit/emulator";
import { emulatorClient } from "../../../testkit/poolFixture";

/** An expiry `days` from now (negative: in the past), as the API accepts it. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

/** A coupon to seed, by how many codes of each kind it holds. */
interface PoolSeed {
  id: string;
  /** Its own lowBalanceThreshold; absent: none. */
  threshold?: number;
  /** Unassigned codes expiring in 400 days. */
  stock: number;
  /** Unassigned codes expiring in 2 days. */
  soon?: number;
  /** Unassigned codes that expired 2 days ago. */
  expired?: number;
  /** Codes assigned to a profile (expiring in 400 days, or expired when `assignedExpired`). */
  assigned?: number;
  assignedExpired?: boolean;
  /** Used codes (expiring in 400 days). */
  used?: number;
}

// Every code's text holds SECRET, so a spec can check that none reached the output.
function codesOf(p: PoolSeed): Array<CouponCodeCreate & { kind: string }> {
  const kinds: Array<[string, number, number]> = [
    ["stock", p.stock, 400],
    ["soon", p.soon ?? 0, 2],
    ["expired", p.expired ?? 0, -2],
    ["assigned", p.assigned ?? 0, p.assignedExpired ? -2 : 400],
    ["used", p.used ?? 0, 400],
  ];
  return kinds.flatMap(([kind, n, days]) =>
    Array.from({ length: n }, (_, i) => ({
      kind,
      couponId: p.id,
      unique_code: `SECRET-${kind}-${i}`,
      expires_at: inDays(days),
    })),
  );
}

/** Creates the coupons through the API, uploads their codes in one job, then assigns and uses some. */
async function seed(emulator: TestEmulator, pools: readonly PoolSeed[]): Promise<void> {
  const client = emulatorClient(emulator);
  for (const p of pools) {
    await client.createCoupon({
      external_id: p.id,
      monitor_configuration: p.threshold === undefined ? null : { low_balance_threshold: p.threshold },
    });
  }
  const codes = pools.flatMap(codesOf);
  await client.bulkCreateCouponCodes(codes.map(({ kind: _kind, ...code }) => code));
  await emulator.control.waitForJobs();
  for (const code of codes) {
    const id = `${code.couponId}-${code.unique_code}`;
    if (code.kind === "assigned") emulator.control.assignCode(id, `PROFILE-${id}`);
    if (code.kind === "used") emulator.control.markCodeUsed(id);
  }
}

const LOWPOOL: PoolSeed = { id: "LOWPOOL", threshold: 10, stock: 6, assigned: 2, used: 1 };
const HEALTHY: PoolSeed = { id: "HEALTHY", threshold: 3, stock: 5, assigned: 1, used: 1 };
const NOLIMIT: PoolSeed = { id: "NOLIMIT", stock: 4 };
const ZERO: PoolSeed = { id: "ZERO", threshold: 0, stock: 1 };
const SOON: PoolSeed = { id: "SOON", threshold: 5, stock: 4, soon: 3 };
const STALE: PoolSeed = {
  id: "STALE",
  threshold: 3,
  stock: 2,
  expired: 5,
  assigned: 1,
  assignedExpired: true,
};

/** One line on stderr starting with the program name, no stack trace. */
function assertOneLineError(r: RunResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, /^klaviyo-coupons: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

/** The coupons of a JSON report. */
function couponsOf(r: RunResult): Array<Record<string, unknown>> {
  return JSON.parse(r.stdout).coupons;
}

describe("stockCommand", () => {
  describe("runCheckStock", () => {
    const emulator = useTestEmulator({}, { resetBetweenTests: false });
    let env: Record<string, string>;
    before(async () => {
      await seed(emulator(), [LOWPOOL, HEALTHY, NOLIMIT, ZERO, SOON, STALE]);
      env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
    });

    it("exits 3 with every coupon in a table, low pools first, a summary and the low pools on stderr", async () => {
      const r = await runCli(["check-stock"], env);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(
        r.stdout,
        [
          "COUPON   STOCK  EXPIRED  ASSIGNED  USED  THRESHOLD  STATE",
          "STALE        2        5         1     0          3  LOW",
          "LOWPOOL      6        0         2     1         10  LOW",
          "HEALTHY      5        0         1     1          3  ok",
          "NOLIMIT      4        0         0     0          -  no threshold",
          "ZERO         1        0         0     0          0  ok",
          "SOON         7        0         0     0          5  ok",
          "",
          "2 of 6 coupons are low; 1 has no threshold (no lowBalanceThreshold, no --min).",
          "",
        ].join("\n"),
      );
      assert.equal(r.stderr, "klaviyo-coupons: 2 of 6 coupons are low: STALE (2 < 3), LOWPOOL (6 < 10)\n");
    });

    it("never prints a code, in the table or in the JSON", async () => {
      for (const argv of [["check-stock"], ["check-stock", "--json", "--expiring-within", "7"]]) {
        const r = await runCli(argv, env);
        assert.doesNotMatch(r.stdout + r.stderr, /SECRET/);
      }
    });

    it("applies --min only to coupons without a threshold of their own, even one of 0", async () => {
      const argv = ["check-stock", "--coupon", "NOLIMIT", "--coupon", "ZERO", "--coupon", "HEALTHY"];
      const r = await runCli([...argv, "--min", "6", "--json"], env);
      assert.equal(r.code, 3, r.stderr);
      assert.deepEqual(
        couponsOf(r).map((c) => [c.couponId, c.stock, c.threshold, c.thresholdSource, c.low]),
        [
          ["NOLIMIT", 4, 6, "min", true],
          ["ZERO", 1, 0, "coupon", false],
          ["HEALTHY", 5, 3, "coupon", false],
        ],
      );
      assert.equal(r.stderr, "klaviyo-coupons: 1 of 3 coupons is low: NOLIMIT (4 < 6)\n");
      const table = await runCli([...argv, "--min", "6"], env);
      assert.match(table.stdout, /^NOLIMIT\s+4\s+0\s+0\s+0\s+6 \(--min\)\s+LOW$/m);
      const without = await runCli(argv, env);
      assert.equal(without.code, 0, without.stderr);
      assert.match(without.stdout, /^NOLIMIT\s+4\s+0\s+0\s+0\s+-\s+no threshold$/m);
    });

    it("counts codes expiring within --expiring-within days apart from the stock", async () => {
      const week = await runCli(["check-stock", "--coupon", "SOON", "--expiring-within", "7"], env);
      assert.equal(week.code, 3, week.stderr);
      assert.match(
        week.stdout,
        /^COUPON\s+STOCK\s+EXPIRING SOON\s+EXPIRED\s+ASSIGNED\s+USED\s+THRESHOLD\s+STATE$/m,
      );
      assert.match(week.stdout, /^SOON\s+4\s+3\s+0\s+0\s+0\s+5\s+LOW$/m);
      // The codes expire in 2 days: outside a 1-day window they are stock again.
      const day = await runCli(["check-stock", "--coupon", "SOON", "--expiring-within", "1", "--json"], env);
      assert.equal(day.code, 0, day.stderr);
      assert.deepEqual(
        couponsOf(day).map((c) => [c.stock, c.expiringSoon]),
        [[7, 0]],
      );
    });

    it("counts expired unassigned codes apart from the stock, and expired assigned codes as assigned", async () => {
      const r = await runCli(["check-stock", "--coupon", "STALE", "--json"], env);
      assert.equal(r.code, 3, r.stderr);
      assert.deepEqual(
        couponsOf(r).map((c) => [c.stock, c.expired, c.assigned, c.total, c.low]),
        [[2, 5, 1, 8, true]],
      );
    });

    it("checks only the coupons named by --coupon, once each, in the order given", async () => {
      const r = await runCli(
        ["check-stock", "--coupon", "NOLIMIT", "--coupon=HEALTHY", "--coupon", "NOLIMIT", "--json"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.deepEqual(
        couponsOf(r).map((c) => c.couponId),
        ["NOLIMIT", "HEALTHY"],
      );
      const low = await runCli(["check-stock", "--coupon", "LOWPOOL"], env);
      assert.equal(low.code, 3, low.stderr);
      assert.match(low.stdout, /\n\n1 of 1 coupon is low\.\n$/);
    });

    it("prints the documented JSON object", async () => {
      const started = Date.now();
      const r = await runCli(
        ["check-stock", "--coupon", "SOON", "--coupon", "STALE", "--expiring-within", "7", "--json"],
        env,
      );
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout);
      const checkedAt = Date.parse(report.checkedAt);
      assert.equal(new Date(checkedAt).toISOString(), report.checkedAt);
      assert.ok(checkedAt >= started && checkedAt <= Date.now(), report.checkedAt);
      const base = { assigned: 0, used: 0, thresholdSource: "coupon", low: true };
      assert.deepEqual(report, {
        checkedAt: report.checkedAt,
        expiringWithinDays: 7,
        coupons: [
          {
            couponId: "STALE",
            stock: 2,
            expiringSoon: 0,
            expired: 5,
            ...base,
            assigned: 1,
            total: 8,
            threshold: 3,
          },
          { couponId: "SOON", stock: 4, expiringSoon: 3, expired: 0, ...base, total: 7, threshold: 5 },
        ],
        low: 2,
      });
      assert.deepEqual(Object.keys(report), ["checkedAt", "expiringWithinDays", "coupons", "low"]);
      const plain = JSON.parse((await runCli(["check-stock", "--coupon", "SOON", "--json"], env)).stdout);
      assert.equal(plain.expiringWithinDays, null);
      assert.equal(plain.coupons[0].expiringSoon, 0);
    });

    it("exits 1 with one line and never the key when Klaviyo refuses the key or a listing", async () => {
      const key = "pk_wrong_but_secret_0042";
      const refused = await runCli(["check-stock"], { ...env, KLAVIYO_API_KEY: key });
      assertOneLineError(refused, 1, /^klaviyo-coupons: Klaviyo GET \/api\/coupons failed: 401 /);
      assert.doesNotMatch(refused.stderr, new RegExp(key));
      emulator().control.injectFault({ method: "GET", path: "/api/coupon-codes", status: 403 });
      try {
        const failed = await runCli(["check-stock", "--json"], env);
        assertOneLineError(failed, 1, /^klaviyo-coupons: Klaviyo GET \/api\/coupon-codes failed: 403 /);
        assert.doesNotMatch(failed.stderr, new RegExp(emulator().apiKey));
      } finally {
        emulator().control.clearFaults();
      }
      assertOneLineError(
        await runCli(["check-stock", "--coupon", "HEALTHY", "--coupon", "NOPE"], env),
        1,
        /Klaviyo GET \/api\/coupons\/NOPE failed: 404/,
      );
    });

    it("draws progress on stderr only when stderr is a terminal", async () => {
      const tty = await runCli(["check-stock", "--coupon", "HEALTHY"], env, { tty: true });
      assert.equal(tty.code, 0, tty.stderr);
      assert.match(tty.stderr, /^\rReading coupons/);
      assert.ok(tty.stderr.endsWith("\r\u001b[K"), JSON.stringify(tty.stderr));
      const all = await runCli(["check-stock", "--json"], env, { tty: true });
      assert.match(all.stderr, /^\rListing coupons/);
      // The progress line is cleared before the low pools are named, so they do not share its line.
      assert.ok(all.stderr.includes("\r\u001b[Kklaviyo-coupons: 2 of 6 coupons are low"), all.stderr);
      const pipe = await runCli(["check-stock", "--coupon", "HEALTHY"], env, { tty: false });
      assert.equal(pipe.stderr, "");
    });
  });

  describe("runCheckStock (healthy account)", () => {
    const emulator = useTestEmulator({}, { resetBetweenTests: false });
    let env: Record<string, string>;
    before(async () => {
      await seed(emulator(), [HEALTHY, NOLIMIT, ZERO]);
      env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
    });

    it("exits 0 with nothing on stderr when no pool is low", async () => {
      const r = await runCli(["check-stock"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(
        r.stdout,
        /\n\n0 of 3 coupons are low; 1 has no threshold \(no lowBalanceThreshold, no --min\)\.\n$/,
      );
      const json = JSON.parse((await runCli(["check-stock", "--json"], env)).stdout);
      assert.equal(json.low, 0);
    });
  });

  describe("runCheckStock (empty account)", () => {
    const emulator = useTestEmulator({}, { resetBetweenTests: false });

    it("exits 0 and says so for an account without coupons", async () => {
      const env = { KLAVIYO_API_KEY: emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
      const r = await runCli(["check-stock"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "No coupons.\n");
      const json = JSON.parse((await runCli(["check-stock", "--json"], env)).stdout);
      assert.deepEqual([json.coupons, json.low], [[], 0]);
    });
  });
});
