import { strict as assert } from "assert";
import { DEFAULT_TEST_API_KEY } from "../../../emulator";
import { TAG_LENGTH } from "../../../provider/batch/codeChanges";
import { codeTag } from "../../../provider/batch/codes";
import type { RunResult } from "../../../testkit/cliTestKit";
import { useTestEmulator } from "../../../testkit/emulator";
import { emulatorClient } from "../../../testkit/poolFixture";
import {
  previewFixture as fixture,
  previewStep as step,
  reviewRow as row,
  runReview,
  type PreviewDoc,
} from "../../../testkit/reviewTestKit";

// The fixtures are real previews of a stack whose provider used the emulator's default key, so the
// removed-code tags in them match codes seeded here under the same names.
const OTHER_KEY = "pk_emulator_other_key_0000000000000000000001";

const LISTED = Array.from({ length: 10 }, (_, i) => `RVW-L0${i}`);
const GENERATED = Array.from({ length: 20 }, (_, i) => `G-${String(i).padStart(8, "X")}`);
const DERIVED = [0, 1, 2].map((i) => `RVWA-D${i}`);
const ALL_CODES = [...LISTED, ...GENERATED, ...DERIVED];

describe("reviewCommand (--live)", () => {
  const emulator = useTestEmulator(
    { apiKeys: [DEFAULT_TEST_API_KEY, OTHER_KEY] },
    { resetBetweenTests: false },
  );

  // The state the fixtures were captured in: on RVWA, L00 assigned, L01 used, D0 and two generated
  // codes assigned (5 held of 33, 28 unassigned); RVWB empty.
  before(async () => {
    const client = emulatorClient(emulator());
    const monitor_configuration = { low_balance_threshold: 20 };
    await client.createCoupon({ external_id: "RVWA", description: "Review A", monitor_configuration });
    await client.createCoupon({ external_id: "RVWB", description: "Review B" });
    await client.bulkCreateCouponCodes(ALL_CODES.map((code) => ({ couponId: "RVWA", unique_code: code })));
    await emulator().control.waitForJobs();
    const { control } = emulator();
    control.assignCode("RVWA-RVW-L00", "PROFILE-L00");
    control.markCodeUsed("RVWA-RVW-L01");
    for (const code of ["RVWA-D0", GENERATED[0], GENERATED[1]])
      control.assignCode(`RVWA-${code}`, `P-${code}`);
  });

  async function live(doc: PreviewDoc, options: { key?: string; tty?: boolean } = {}): Promise<RunResult> {
    const env = { KLAVIYO_API_KEY: options.key ?? emulator().apiKey, KLAVIYO_BASE_URL: emulator().url };
    const result = await runReview(doc, ["--live"], { env, tty: options.tty });
    for (const secret of ALL_CODES) {
      assert.ok(!(result.stdout + result.stderr).includes(secret), `${secret} printed`);
    }
    return result;
  }

  describe("runReview", () => {
    it("counts exactly the held codes among an update's removed listed codes, and the stock after", async () => {
      const r = await live(fixture("update"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        row(r.stdout, "CouponCodeBatch `listed`")[8],
        /\(delete-unassigned; 2 held by profiles\)$/,
      );
      // 28 unassigned + 2 listed + 10 generated - 1 removed unassigned (the 2 others are held); the
      // coupon is unchanged, so not in the preview: its threshold is Klaviyo's.
      assert.match(r.stdout, /\| `RVWA` \| 28 \| 39 \| 20 \| 5 \|/);
      assert.match(r.stdout, /Held and unassigned counts are Klaviyo's now/);
    });

    it("exits 4 under fail-if-assigned only when a removed code is held", async () => {
      const doc = fixture("update");
      const inputs = step(doc, "listed").newState.inputs;
      inputs.deletePolicy = "fail-if-assigned";
      const held = await live(doc);
      assert.equal(held.code, 4);
      assert.match(
        held.stdout,
        /`listed`: the codes it removes include 2 held by profiles; its deletePolicy is `fail-if-assigned`/,
      );
      // Only L02 (unassigned) removed: nothing held is in the way.
      inputs.codeChanges = {
        ...inputs.codeChanges,
        removed: 1,
        removedTags: codeTag("RVW-L02", DEFAULT_TEST_API_KEY, TAG_LENGTH),
      };
      const free = await live(doc);
      assert.equal(free.code, 0, free.stdout);
      assert.match(
        row(free.stdout, "CouponCodeBatch `listed`")[8],
        /\(fail-if-assigned; 0 held by profiles\)$/,
      );
    });

    it("exits 4 when a lowered generated count leaves the coupon below its lowBalanceThreshold", async () => {
      const r = await live(fixture("generated-lowered"));
      assert.equal(r.code, 4);
      assert.match(row(r.stdout, "CouponCodeBatch `generated`")[8], /up to 5 held by profiles\)$/);
      // 28 - 15 if no removed code is held, 28 - 10 if 5 are.
      assert.match(r.stdout, /\| `RVWA` \| 28 \| 13 to 18 \| 20 \| 5 \|/);
      assert.match(
        r.stdout,
        /\*\*Dangerous:\*\* coupon `RVWA`: its unassigned codes fall from 28 to between 13 and 18, below its lowBalanceThreshold of 20\./,
      );
    });

    it("reads the threshold of a coupon the preview does not show from Klaviyo", async () => {
      const doc = fixture("generated-lowered");
      doc.steps = doc.steps.filter((s) => s.op !== "same");
      const r = await live(doc);
      assert.equal(r.code, 4);
      assert.match(r.stdout, /\| `RVWA` \| 28 \| 13 to 18 \| 20 \| 5 \|/);
    });

    it("bounds the held codes of a deleted batch by its coupon's, saying other batches may hold some", async () => {
      const r = await live(fixture("delete"));
      assert.equal(r.code, 4);
      assert.match(
        row(r.stdout, "CouponCodeBatch `derived`")[8],
        /up to 3 held by profiles, counting every held code on coupon `RVWA`, which other batches may share\)$/,
      );
    });

    it("counts the held codes of a deleted coupon from Klaviyo", async () => {
      const r = await live(fixture("coupon-delete"));
      assert.equal(r.code, 4);
      const coupon = row(r.stdout, "Coupon `couponA`");
      assert.equal(coupon[4], "33");
      assert.match(coupon[8], /held ones included \(5 of its 33 codes held by profiles\)$/);
      assert.doesNotMatch(r.stdout, /Unassigned stock/, "a deleted coupon has no stock");
    });

    it("shows a replacement's new coupon as starting from zero", async () => {
      const r = await live(fixture("replace"));
      assert.equal(r.code, 4);
      // 10 listed + 20 generated, plus the derived batch's codes, unknown until apply.
      assert.match(r.stdout, /\| `RVWC` \| 0 \(new coupon\) \| at least 30 \| 20 \| — \|/);
    });

    it("falls back to an upper bound and says why when no removed tag matches (another key)", async () => {
      const r = await live(fixture("update"), { key: OTHER_KEY });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /`listed`: none of its 3 removed codes was found on coupon `RVWA`/);
      assert.match(row(r.stdout, "CouponCodeBatch `listed`")[8], /up to 3 held by profiles\)$/);
    });

    it("draws progress on a terminal and exits 1 with Klaviyo's message when a listing fails", async () => {
      const tty = await live(fixture("update"), { tty: true });
      assert.match(tty.stderr, /\rListing codes of RVWA \(coupon 1 of 1\): \d+/);
      const refused = await live(fixture("update"), { key: "pk_wrong_but_secret_0003" });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^klaviyo-coupons: Klaviyo GET \/api\/coupons\/RVWA failed: 401/);
      assert.doesNotMatch(refused.stderr, /pk_wrong_but_secret_0003/);
    });
  });
});
