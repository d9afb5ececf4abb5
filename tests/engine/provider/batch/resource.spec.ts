import { strict as assert } from "assert";
import { fingerprint } from "../../../../provider/batch/codes";
import { startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import {
  assertExactly,
  liveCodes,
  makeCodes,
  previewBatch,
  testClient,
  upBatch,
  upCoupon,
} from "../../../../testkit/batchTestKit";
import { UNKNOWN } from "../../../../testkit/harness/engine";

// One coupon's life through the real provider host, with the emulator's real rate limits on.
describe("CouponCodeBatch (engine protocol)", function () {
  this.timeout(300_000);
  let stack: ProviderStack;
  const couponId = "LIFE5000";
  let codes = makeCodes("LF", 5000);

  before(async () => {
    stack = await startProviderStack();
    await upCoupon(stack, "coupon", couponId);
  });
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  describe("create", () => {
    it("uploads 5,000 codes in jobs of at most 1,000 and records them as a secret", async () => {
      const result = await upBatch(stack, "codes", { couponId, codes });
      assert.equal(result.op, "create");
      const outs = result.outputs as Record<string, any>;
      assert.equal(outs.codeCount, 5000);
      assert.equal(outs.fingerprint, fingerprint(codes, stack.apiKey));
      assert.deepEqual(outs.statusCounts, { UNASSIGNED: 5000 });
      assert.equal(outs.jobIds.length, 5);
      assert.equal(outs.failedCount, 0);
      assert.ok(result.secretKeys.includes("codes"));
      assert.ok(!stack.engine.stateText().includes(codes[17]), "a code leaked into state in plaintext");
      assert.match(stack.host.output(), /5\/5 jobs done, 5000\/5000 codes uploaded/);
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("reports no changes and calls nothing when the same codes are applied again", async () => {
      const before = stack.emulator.control.counts().requests;
      const result = await upBatch(stack, "codes", { couponId, codes });
      assert.equal(result.op, "same");
      assert.equal(stack.emulator.control.counts().requests, before);
    });
  });

  describe("update", () => {
    it("uploads only added codes and deletes only removed ones", async () => {
      const removed = codes.slice(0, 500);
      const added = makeCodes("LF", 500, 5000);
      codes = codes.slice(500).concat(added);
      stack.emulator.control.resetRequestLog();
      const result = await upBatch(stack, "codes", { couponId, codes });
      assert.equal(result.op, "update");
      const log = stack.emulator.control.requestLog();
      // 429s can happen because this test's own listings share the account's quota; they are retried.
      const deletes = log.filter((r) => r.method === "DELETE" && r.status !== 429);
      const jobs = log.filter(
        (r) => r.method === "POST" && r.path.startsWith("/api/coupon-code-bulk-create-jobs"),
      );
      // DELETE is idempotent: a retry after a lost response (then a 404) is allowed, a stray one is not.
      assert.equal(new Set(deletes.map((d) => d.path)).size, 500);
      assert.ok(deletes.length <= 510, `${deletes.length} DELETEs`);
      assert.ok(deletes.every((d) => removed.some((c) => d.path.endsWith(`-${c}`))));
      assert.equal(jobs.length, 1);
      assert.equal((result.outputs as any).codeCount, 5000);
      await assertExactly(testClient(stack), couponId, codes);
    });

    it("patches every code in place when expiresAt changes", async () => {
      const expiresAt = "2027-12-31T00:00:00+00:00";
      stack.emulator.control.resetRequestLog();
      const result = await upBatch(stack, "codes", { couponId, codes, expiresAt });
      assert.equal(result.op, "update");
      // The test process's own listings share the account's quota, so a few 429s may occur and
      // PATCH is idempotent, so a retry after a lost response may succeed twice; every code must
      // end up patched.
      const patches = stack.emulator.control
        .requestLog()
        .filter((r) => r.method === "PATCH" && r.status === 200);
      assert.equal(new Set(patches.map((p) => p.path)).size, 5000);
      assert.ok(patches.length <= 5010, `${patches.length} successful PATCHes`);
      const live = await liveCodes(testClient(stack), couponId);
      assert.ok(live.every((c) => Date.parse(c.expiresAt!) === Date.parse(expiresAt)));
      assert.deepEqual((result.outputs as any).expiryRange, {
        earliest: live[0].expiresAt,
        latest: live[0].expiresAt,
      });
      const again = await upBatch(stack, "codes", { couponId, codes, expiresAt });
      assert.equal(again.op, "same");
    });
  });

  describe("preview", () => {
    it("sends only check and diff, with no HTTP call, when codes are unknown", async () => {
      const before = stack.emulator.control.counts().requests;
      const mark = stack.host.calls.length;
      const result = await previewBatch(stack, "codes", { couponId, codes: UNKNOWN });
      assert.equal(result.op, "update");
      assert.deepEqual([...new Set(stack.host.calls.slice(mark).map((c) => c.method))].sort(), [
        "check",
        "diff",
      ]);
      assert.equal(stack.emulator.control.counts().requests, before);
    });
  });

  describe("refresh", () => {
    it("drops codes deleted out of band and reports assigned and used codes without drift", async () => {
      const client = testClient(stack);
      const gone = codes.slice(0, 20);
      for (const c of gone) await client.deleteCouponCode(`${couponId}-${c}`);
      for (const c of codes.slice(20, 50)) stack.emulator.control.assignCode(`${couponId}-${c}`, "PROFILE1");
      for (const c of codes.slice(50, 60)) {
        stack.emulator.control.assignCode(`${couponId}-${c}`, "PROFILE2");
        stack.emulator.control.markCodeUsed(`${couponId}-${c}`);
      }
      const refreshed = await stack.engine.refresh("codes");
      assert.equal(refreshed.op, "refresh");
      const outs = stack.engine.state("codes")!.outputs as Record<string, any>;
      assert.equal(outs.codeCount, 4980);
      assert.deepEqual(outs.statusCounts, { UNASSIGNED: 4940, ASSIGNED_TO_PROFILE: 30, USED: 10 });

      stack.emulator.control.resetRequestLog();
      const result = await upBatch(stack, "codes", {
        couponId,
        codes,
        expiresAt: "2027-12-31T00:00:00+00:00",
      });
      assert.equal(result.op, "update", "the deleted codes must be uploaded again");
      assert.equal((result.outputs as any).codeCount, 5000);
      const log = stack.emulator.control.requestLog();
      assert.equal(log.filter((r) => r.method === "DELETE" || r.method === "PATCH").length, 0);
      await assertExactly(client, couponId, codes);
    });
  });

  describe("destroy", () => {
    it("deletes unassigned codes and retains (and reports) codes held by profiles", async () => {
      await stack.engine.destroy("codes");
      assert.equal(stack.engine.state("codes"), undefined);
      const left = await liveCodes(testClient(stack), couponId);
      assert.equal(left.length, 40);
      assert.ok(left.every((c) => c.status === "ASSIGNED_TO_PROFILE" || c.status === "USED"));
      assert.match(stack.host.output(), /40 codes retained in Klaviyo \(held by profiles\), 4960 deleted/);
    });
  });
});
