import { strict as assert } from "assert";
import {
  liveCodes,
  loadPackage,
  realEngineSkipReason,
  type RealStack,
  requestLines,
  useRealStack,
} from "./realEngine";

/** What the program declares; each test edits it, then runs a Pulumi command. */
interface Desired {
  externalId: string;
  description?: string;
  codes: string[];
  expiresAt?: string;
}

const COUNT = 2_000;
const codesFrom = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `ACC-${String(from + i).padStart(6, "0")}`);

let desired: Desired = { externalId: "ACCEPT10", codes: codesFrom(0, COUNT) };

/** The user's program: a coupon and its pool, as a Pulumi project would declare them. */
function program() {
  const klaviyo = loadPackage();
  const coupon = new klaviyo.Coupon("coupon", {
    externalId: desired.externalId,
    description: desired.description ?? "acceptance",
  });
  const batch = new klaviyo.CouponCodeBatch("codes", {
    couponId: coupon.couponId,
    codes: desired.codes,
    ...(desired.expiresAt ? { expiresAt: desired.expiresAt } : {}),
  });
  return Promise.resolve({
    couponId: coupon.couponId,
    codes: batch.codes,
    codeCount: batch.codeCount,
    statusCounts: batch.statusCounts,
    retainedCodes: batch.retainedCodes,
  });
}

/** The batch's outputs as stored in the state (refresh does not re-run the program's stack outputs). */
async function batchState(real: RealStack): Promise<Record<string, unknown>> {
  const state = await real.throwaway.stack.exportStack();
  const resources = (
    state.deployment as { resources: Array<{ type: string; outputs: Record<string, unknown> }> }
  ).resources;
  const batch = resources.find((r) => r.type.endsWith("klaviyo:CouponCodeBatch"));
  assert.ok(batch, "the batch is in the state");
  return batch.outputs;
}

const skipReason = realEngineSkipReason();

(skipReason ? describe.skip : describe)(
  `acceptance: a coupon and ${COUNT} codes through the real Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    const real = useRealStack({ projectName: "klaviyo-acceptance", program });
    const apiCalls = () => requestLines(real.emulator).filter((l) => l.includes(" /api/"));

    describe("up", () => {
      it("creates the coupon and every code", async () => {
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.create, 3); // stack, coupon, batch
        assert.equal(up.outputs.codeCount.value, COUNT);
        assert.deepEqual([...(await liveCodes(real.emulator, "ACCEPT10")).keys()].sort(), desired.codes);
      });
    });

    describe("preview after up", () => {
      it("reports no changes and sends not one request to Klaviyo", async () => {
        real.emulator.control.resetRequestLog();
        const preview = await real.throwaway.stack.preview({
          onOutput: real.onOutput,
          expectNoChanges: true,
        });
        assert.deepEqual(preview.changeSummary, { same: 3 });
        assert.deepEqual(apiCalls(), []);
      });
    });

    describe("secrets", () => {
      it("keeps codes and the API key out of the state file and the export, in plain text", async () => {
        // Not the Automation API's exportStack: it runs `pulumi stack export --show-secrets`.
        const exported = await real.run(["stack", "export"]);
        assert.equal(exported.code, 0, exported.stderr);
        for (const text of [real.stateFileText(), exported.stdout]) {
          assert.ok(!text.includes(real.emulator.apiKey), "the API key is in the state");
          const leaked = desired.codes.filter((c) => text.includes(c));
          assert.deepEqual(leaked.slice(0, 3), [], `${leaked.length} codes are in the state in plain text`);
        }
      });

      it("shows codes as [secret] in pulumi stack output, and reveals them with --show-secrets", async () => {
        const hidden = await real.run(["stack", "output", "codes"]);
        assert.equal(hidden.code, 0, hidden.stderr);
        assert.equal(hidden.stdout.trim(), "[secret]");
        const shown = await real.run(["stack", "output", "codes", "--show-secrets", "--json"]);
        assert.deepEqual(JSON.parse(shown.stdout), desired.codes);
        const outputs = await real.throwaway.stack.outputs();
        assert.equal(outputs.codes.secret, true);
        assert.equal(outputs.codeCount.secret, false);
      });
    });

    describe("preview of a description change", () => {
      it("shows the coupon updated in place and its batch unchanged", async () => {
        const saved = desired;
        desired = { ...saved, description: "acceptance, reworded" };
        try {
          const preview = await real.throwaway.stack.preview({ onOutput: real.onOutput });
          assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
        } finally {
          desired = saved;
        }
      });
    });

    describe("bad input", () => {
      it("fails the preview with the check failure naming the property, before any request", async () => {
        const saved = desired;
        desired = { ...saved, codes: [...saved.codes.slice(1), "NOT A CODE"] };
        real.emulator.control.resetRequestLog();
        try {
          await assert.rejects(real.throwaway.stack.preview({ onOutput: real.onOutput }), (err: Error) => {
            assert.match(err.message, /codes\[1999\]/);
            assert.ok(!err.message.includes("NOT A CODE"), "a secret code is printed in the failure");
            return true;
          });
          assert.deepEqual(apiCalls(), []);
        } finally {
          desired = saved;
        }
      });
    });

    describe("up with 10% of the codes added and 10% removed", () => {
      it("updates the batch in one bulk job and deletes exactly the removed codes", async () => {
        const removed = desired.codes.slice(0, COUNT / 10);
        const added = codesFrom(COUNT, COUNT + COUNT / 10);
        desired = { ...desired, codes: [...desired.codes.slice(COUNT / 10), ...added] };
        real.emulator.control.resetRequestLog();
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.update, 1);
        assert.equal(up.summary.resourceChanges?.same, 2);
        const calls = apiCalls();
        assert.equal(calls.filter((l) => l === "POST /api/coupon-code-bulk-create-jobs").length, 1);
        const deleted = calls
          .filter((l) => l.startsWith("DELETE "))
          .map((l) => decodeURIComponent(l.slice("DELETE /api/coupon-codes/".length)));
        assert.deepEqual([...new Set(deleted)].sort(), removed.map((c) => `ACCEPT10-${c}`).sort());
        assert.ok(!calls.some((l) => l.startsWith("PATCH ")), "no code may be patched");
        assert.deepEqual(
          [...(await liveCodes(real.emulator, "ACCEPT10")).keys()].sort(),
          [...desired.codes].sort(),
        );
      });
    });

    describe("up with expiresAt changed", () => {
      it("updates the codes in place, without replacing anything", async () => {
        desired = { ...desired, expiresAt: "2031-01-31T23:59:59Z" };
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.update, 1);
        assert.equal(up.summary.resourceChanges?.replace, undefined);
        const live = await liveCodes(real.emulator, "ACCEPT10");
        assert.equal(live.size, COUNT);
        const expiries = new Set([...live.values()].map((c) => c.expiresAt));
        assert.deepEqual([...expiries], ["2031-01-31T23:59:59+00:00"]);
      });
    });

    describe("refresh after changes made outside Pulumi", () => {
      const gone = () => desired.codes.slice(0, 20);
      const assigned = () => desired.codes.slice(20, 50);
      const used = () => desired.codes.slice(50, 60);

      it("drops deleted codes from the state and treats assigned and used codes as normal life", async () => {
        const client = (await import("../../provider/client")).createKlaviyoClient({
          apiKey: real.emulator.apiKey,
          baseUrl: real.emulator.url,
        });
        for (const c of gone()) await client.deleteCouponCode(`ACCEPT10-${c}`);
        for (const c of assigned()) real.emulator.control.assignCode(`ACCEPT10-${c}`, "01PROFILE");
        for (const c of used()) real.emulator.control.markCodeUsed(`ACCEPT10-${c}`);
        const refresh = await real.throwaway.stack.refresh({ onOutput: real.onOutput });
        assert.equal(refresh.summary.resourceChanges?.update, 1, "the batch changed: 20 codes are gone");
        const outputs = await batchState(real);
        assert.equal(outputs.codeCount, COUNT - 20);
        assert.deepEqual(outputs.statusCounts, { UNASSIGNED: COUNT - 60, ASSIGNED_TO_PROFILE: 30, USED: 10 });
      });

      it("re-uploads only the deleted codes on the next up, then has nothing left to do", async () => {
        real.emulator.control.resetRequestLog();
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.update, 1);
        assert.equal(up.outputs.codeCount.value, COUNT);
        assert.equal(apiCalls().filter((l) => l === "POST /api/coupon-code-bulk-create-jobs").length, 1);
        assert.ok(!apiCalls().some((l) => l.startsWith("DELETE ")));
        const live = await liveCodes(real.emulator, "ACCEPT10");
        assert.deepEqual([...live.keys()].sort(), [...desired.codes].sort());
        assert.equal(live.get(assigned()[0])?.status, "ASSIGNED_TO_PROFILE");
        const again = await real.throwaway.stack.refresh({ onOutput: real.onOutput });
        assert.deepEqual(again.summary.resourceChanges, { same: 3 }, "assignments and uses are not drift");
        await real.throwaway.stack.preview({ onOutput: real.onOutput, expectNoChanges: true });
      });
    });

    describe("up with externalId changed", () => {
      it("deletes the old coupon first, then creates the new one, and the batch follows", async () => {
        desired = { ...desired, externalId: "ACCEPT20" };
        real.emulator.control.resetRequestLog();
        const up = await real.throwaway.stack.up({ onOutput: real.onOutput });
        assert.equal(up.summary.resourceChanges?.replace, 2);
        const calls = apiCalls();
        const deleteOldCoupon = calls.indexOf("DELETE /api/coupons/ACCEPT10");
        const createNewCoupon = calls.indexOf("POST /api/coupons");
        assert.ok(
          deleteOldCoupon >= 0 && createNewCoupon > deleteOldCoupon,
          "old coupon deleted before the new one is created",
        );
        const lastOldCodeDelete = calls
          .map((l) => l.startsWith("DELETE /api/coupon-codes/ACCEPT10-"))
          .lastIndexOf(true);
        assert.ok(lastOldCodeDelete < deleteOldCoupon, "the old batch is deleted before its coupon");
        assert.equal(up.outputs.couponId.value, "ACCEPT20");
        assert.equal((await liveCodes(real.emulator, "ACCEPT10")).size, 0);
        assert.deepEqual(
          [...(await liveCodes(real.emulator, "ACCEPT20")).keys()].sort(),
          [...desired.codes].sort(),
        );
      });
    });

    describe("destroy with codes held by profiles", () => {
      it("succeeds and reports the retained codes in the CLI output", async () => {
        for (const c of desired.codes.slice(0, 40))
          real.emulator.control.assignCode(`ACCEPT20-${c}`, "01PROFILE");
        await real.throwaway.stack.destroy({ onOutput: real.onOutput });
        const output = real.takeOutput();
        assert.match(output, /coupon ACCEPT20: \d+ codes deleted, 40 retained \(held by profiles\)/);
        assert.equal(real.emulator.control.counts().coupons, 0);
      });
    });
  },
);
