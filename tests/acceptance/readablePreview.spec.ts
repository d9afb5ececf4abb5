import { strict as assert } from "assert";
import { reviewRow as row, runReview } from "../../testkit/reviewTestKit";
import {
  liveCodes,
  loadPackage,
  previewJson,
  realEngineSkipReason,
  useRealStack,
  type RealStack,
} from "./realEngine";

const LISTED = Array.from({ length: 10 }, (_, i) => `RVW-LISTED-${String(i).padStart(3, "0")}`);
const ADDED = ["RVW-ADDED-001", "RVW-ADDED-002"];

// What the program declares; each test edits it, the next `preview` or `up` runs it.
const declared = {
  externalId: "REVIEW-L",
  codes: LISTED,
  expiresAt: "2031-01-01T00:00:00Z",
  generatedCount: 20 as number | null,
};

function program() {
  const klaviyo = loadPackage();
  const listedCoupon = new klaviyo.Coupon("listed", { externalId: declared.externalId });
  new klaviyo.CouponCodeBatch("listed-codes", {
    couponId: listedCoupon.couponId,
    codes: declared.codes,
    expiresAt: declared.expiresAt,
  });
  const generatedCoupon = new klaviyo.Coupon("generated", { externalId: "REVIEW-G" });
  if (declared.generatedCount !== null) {
    new klaviyo.CouponCodeBatch("generated-codes", {
      couponId: generatedCoupon.couponId,
      generate: { count: declared.generatedCount, length: 10 },
      deletePolicy: "fail-if-assigned",
    });
  }
  return Promise.resolve({});
}

interface Step {
  op: string;
  urn: string;
  oldState?: { outputs?: Record<string, unknown> };
  newState?: { inputs?: Record<string, unknown> };
}

function step(json: unknown, name: string): Step {
  const steps = (json as { steps: Step[] }).steps;
  const found = steps.find((s) => s.urn.endsWith(`::${name}`));
  assert.ok(found, `no step for ${name}`);
  return found;
}

/** `klaviyo-coupons review - [--live]` of a real preview's JSON; with --live, against the stack's emulator. */
function review(real: RealStack, json: unknown, live = false) {
  const env = { KLAVIYO_API_KEY: real.emulator.apiKey, KLAVIYO_BASE_URL: real.emulator.url };
  return runReview(json, live ? ["--live"] : [], { env: live ? env : {} });
}

const skipReason = realEngineSkipReason();

// Issue 15: a reviewer reads what a change does to the codes in the preview, with no code in it.
(skipReason ? describe.skip : describe)(
  `acceptance: readable previews${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(600_000);
    const real = useRealStack({ projectName: "klaviyo-review", program });
    const printed: string[] = [];
    let generatedCodes: string[] = [];

    before(async () => {
      await real.throwaway.stack.up({ onOutput: real.onOutput });
      generatedCodes = [...(await liveCodes(real.emulator, "REVIEW-G")).keys()];
      assert.equal(generatedCodes.length, 20);
    });

    after(() => {
      const text = printed.join("\n");
      for (const code of [...LISTED, ...ADDED, ...generatedCodes]) {
        assert.ok(!text.includes(code), `a preview printed the code ${code}`);
      }
    });

    it("shows codes added and removed, the expiry change and a generated count raised, then nothing once applied", async () => {
      declared.codes = [...LISTED.slice(3), ...ADDED];
      declared.expiresAt = "2032-01-01T00:00:00Z";
      declared.generatedCount = 30;
      const preview = await real.throwaway.stack.preview({ diff: true });
      printed.push(preview.stdout, preview.stderr);
      const listedBlock = preview.stdout.slice(preview.stdout.indexOf("::listed-codes]"));
      assert.match(listedBlock, /~ added\s*: 10 => 2\n/);
      assert.match(listedBlock, /~ removed\s*: 0 => 3\n/);
      assert.match(listedBlock, /~ codeCount\s*: 10 => 9\n/);
      assert.match(listedBlock, /~ expiresAt\s*: "2031-01-01T00:00:00Z" => "2032-01-01T00:00:00Z"/);
      assert.match(listedBlock, /deletePolicy\s*: "delete-unassigned"/);
      const generatedBlock = preview.stdout.slice(preview.stdout.indexOf("::generated-codes]"));
      assert.match(generatedBlock, /~ added\s*: 20 => 10\n/);
      assert.match(generatedBlock, /~ codeCount\s*: 20 => 30\n/);

      const { json } = await previewJson(real);
      printed.push(JSON.stringify(json));
      const changes = step(json, "listed-codes").newState?.inputs?.codeChanges as Record<string, unknown>;
      assert.deepEqual([changes.added, changes.removed, changes.codeCount], [2, 3, 9]);
      assert.match(String(changes.fingerprint), /^[0-9a-f]{64}$/);
      assert.equal(String(changes.removedTags).length, 30);
      const summary = await review(real, json, true);
      printed.push(summary.stdout, summary.stderr);
      assert.equal(summary.code, 0, summary.stdout + summary.stderr);
      const listedRow = row(summary.stdout, "CouponCodeBatch `listed-codes`");
      assert.deepEqual(listedRow.slice(2, 8), [
        "update",
        "2",
        "3",
        "9",
        "`2031-01-01T00:00:00Z` → `2032-01-01T00:00:00Z`",
        "`delete-unassigned`",
      ]);
      assert.match(listedRow[8], /the 3 removed codes are deleted except held ones/);
      assert.deepEqual(row(summary.stdout, "CouponCodeBatch `generated-codes`").slice(2, 6), [
        "update",
        "10",
        "0",
        "30",
      ]);

      await real.throwaway.stack.up({ onOutput: real.onOutput });
      const outputs = await real.throwaway.stack.exportStack();
      const batch = outputs.deployment.resources.find((r: { urn: string }) =>
        r.urn.endsWith("::listed-codes"),
      );
      assert.equal(
        batch.outputs.fingerprint,
        changes.fingerprint,
        "the proposed fingerprint is the applied one",
      );
      // Applied: the same program previews no change (codeChanges never causes a diff by itself).
      await real.throwaway.stack.preview({ expectNoChanges: true });
    });

    it("shows generated codes removed when the count is lowered", async () => {
      declared.generatedCount = 25;
      const { json } = await previewJson(real);
      printed.push(JSON.stringify(json));
      const generated = step(json, "generated-codes");
      assert.equal(generated.op, "update");
      const changes = generated.newState?.inputs?.codeChanges as Record<string, unknown>;
      assert.deepEqual([changes.added, changes.removed, changes.codeCount], [0, 5, 25]);
      // No code is held yet, so fail-if-assigned removes the 5 newest without refusing.
      const summary = await review(real, json, true);
      printed.push(summary.stdout, summary.stderr);
      assert.equal(summary.code, 0, summary.stdout + summary.stderr);
      assert.deepEqual(row(summary.stdout, "CouponCodeBatch `generated-codes`").slice(2, 7), [
        "update",
        "0",
        "5",
        "25",
        "none",
      ]);
      declared.generatedCount = 30;
    });

    it("says what a coupon replacement does to the codes: Klaviyo deletes them, held ones included", async () => {
      declared.externalId = "REVIEW-L2";
      try {
        const preview = await real.throwaway.stack.preview({ diff: true });
        printed.push(preview.stdout, preview.stderr);
        const said = `${preview.stdout}\n${preview.stderr}`;
        assert.match(said, /\[klaviyo\] coupon REVIEW-L: externalId changes, so the coupon is replaced/);
        assert.match(said, /Klaviyo deletes its codes with it, those held by profiles included/);
        assert.match(
          said,
          /\[klaviyo\] coupon REVIEW-L: couponId changes, so the batch is replaced: its codes are created on the new coupon, then the 9 codes on coupon REVIEW-L are deleted, except codes a profile holds/,
        );
        const { json } = await previewJson(real);
        printed.push(JSON.stringify(json));
        assert.equal(step(json, "listed").op, "replace");
        assert.equal(step(json, "listed-codes").op, "replace");
        const summary = await review(real, json);
        printed.push(summary.stdout, summary.stderr);
        const couponRow = row(summary.stdout, "Coupon `listed`");
        assert.deepEqual(couponRow.slice(1, 3), ["`REVIEW-L` → `REVIEW-L2`", "replace"]);
        assert.match(couponRow[8], /Klaviyo deletes its codes, held ones included/);
        assert.match(row(summary.stdout, "CouponCodeBatch `listed-codes`")[8], /replaced with its coupon/);
      } finally {
        declared.externalId = "REVIEW-L";
      }
    });

    it("previews the destroy of a batch whose codes profiles hold with the held count from the last refresh", async () => {
      real.emulator.control.assignCode(`REVIEW-G-${generatedCodes[0]}`, "PROFILE-1");
      real.emulator.control.assignCode(`REVIEW-G-${generatedCodes[1]}`, "PROFILE-2");
      await real.throwaway.stack.refresh({ onOutput: real.onOutput });
      declared.generatedCount = null;
      try {
        const { json } = await previewJson(real);
        printed.push(JSON.stringify(json));
        const destroyed = step(json, "generated-codes");
        assert.equal(destroyed.op, "delete");
        const outputs = destroyed.oldState?.outputs ?? {};
        assert.deepEqual(outputs.statusCounts, { ASSIGNED_TO_PROFILE: 2, UNASSIGNED: 28 });
        assert.equal(outputs.deletePolicy, "fail-if-assigned");
        for (const live of [false, true]) {
          const summary = await review(real, json, live);
          printed.push(summary.stdout, summary.stderr);
          assert.equal(summary.code, 4, `a dangerous change (live: ${live})\n${summary.stdout}`);
          const destroyRow = row(summary.stdout, "CouponCodeBatch `generated-codes`");
          assert.deepEqual(destroyRow.slice(2, 5), ["delete", "0", "30"]);
          assert.match(destroyRow[8], /fail-if-assigned; (up to )?2 held by profiles/);
          assert.match(summary.stdout, /\*\*Dangerous:\*\* `generated-codes`/);
        }
      } finally {
        declared.generatedCount = 30;
      }
    });
  },
);
