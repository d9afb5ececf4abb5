import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../../../testkit/cliTestKit";
import {
  PREVIEW_FIXTURES as FIXTURES,
  previewFixture as fixture,
  previewStep as step,
  reviewRow as row,
  runReview as review,
} from "../../../testkit/reviewTestKit";

const NAMES = ["create", "update", "generated-lowered", "replace", "move", "delete", "coupon-delete"];
// Every code the stack behind the fixtures declared: none may appear in a review.
const CODES = [/RVW-[LN]\d\d/, /RVW[A-C]-D\d/];

function warnings(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l.startsWith("- "));
}

function setPolicy(s: Record<string, any>, policy: string): void {
  for (const state of [s.oldState?.inputs, s.oldState?.outputs, s.newState?.inputs]) {
    if (state) state.deletePolicy = policy;
  }
}

describe("reviewCommand", () => {
  describe("runReview", () => {
    it("lists each created coupon and batch with nothing removed, and unknown values as known after apply", async () => {
      const r = await review(fixture("create"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^### Klaviyo coupon changes on stack `acc-[0-9a-f]{6}`\n\n5 to create\.\n/);
      assert.deepEqual(row(r.stdout, "Coupon `couponA`").slice(1, 3), ["`RVWA`", "create"]);
      assert.match(row(r.stdout, "Coupon `couponA`")[8], /new coupon; lowBalanceThreshold 20/);
      // The batch's couponId is unknown until the coupon exists: its Coupon resource names it.
      assert.deepEqual(row(r.stdout, "CouponCodeBatch `listed`").slice(1, 8), [
        "`RVWA`",
        "create",
        "10",
        "0",
        "10",
        "`2031-01-01T00:00:00Z`",
        "`delete-unassigned`",
      ]);
      const derived = row(r.stdout, "CouponCodeBatch `derived`");
      assert.deepEqual(derived.slice(3, 6), ["(known after apply)", "0", "(known after apply)"]);
      assert.ok(warnings(r.stdout).some((w) => /`derived`: its codes are not known until apply/.test(w)));
      assert.match(row(r.stdout, "CouponCodeBatch `generated`")[8], /generates 20 codes/);
    });

    it("shows codes added, removed and after, the expiry change and held codes for an update", async () => {
      const r = await review(fixture("update"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\n2 to update\.\n/);
      const listed = row(r.stdout, "CouponCodeBatch `listed`");
      assert.deepEqual(listed.slice(1, 8), [
        "`RVWA`",
        "update",
        "2",
        "3",
        "9",
        "`2031-01-01T00:00:00Z` → `2032-01-01T00:00:00Z`",
        "`delete-unassigned`",
      ]);
      assert.match(
        listed[8],
        /the 3 removed codes are deleted except held ones, which stay in Klaviyo \(delete-unassigned; up to 2 held by profiles as of the last apply or refresh\)/,
      );
      assert.match(r.stdout, /Held counts come from the state, as of the last apply or refresh/);
    });

    it("counts the codes a raised generated count adds", async () => {
      const generated = row((await review(fixture("update"))).stdout, "CouponCodeBatch `generated`");
      assert.deepEqual(generated.slice(3, 6), ["10", "0", "30"]);
      assert.equal(generated[8], "generated codes 20 → 30");
    });

    it("adds the codes keepUnassigned tops up and the expired codes pruning deletes, saying why", async () => {
      const doc = fixture("update");
      const s = step(doc, "generated");
      // The stored pool: 30 codes, 12 unassigned and unexpired, 3 expired and unheld.
      Object.assign(s.oldState.outputs, {
        codeCount: 30,
        availableCodes: 12,
        expiredCodes: { unassigned: 3, held: 1 },
      });
      s.newState.inputs.generate = { ...s.newState.inputs.generate, count: 30, keepUnassigned: 20 };
      s.newState.inputs.pruneExpired = true;
      const generated = row((await review(doc)).stdout, "CouponCodeBatch `generated`");
      // 3 pruned leave 27; 8 short of 20 unassigned: 35 codes, 8 added.
      assert.deepEqual(generated.slice(3, 6), ["8", "3", "35"]);
      assert.match(
        generated[8],
        /codes generated to reach keepUnassigned 20 \(12 unassigned at the last apply or refresh\)/,
      );
      assert.match(generated[8], /3 expired codes no profile holds are pruned/);
    });

    it("says the newest codes go when a generated count is lowered", async () => {
      const r = await review(fixture("generated-lowered"));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\n1 to update\.\n/, "same steps (--show-sames) get no row");
      const generated = row(r.stdout, "CouponCodeBatch `generated`");
      assert.deepEqual(generated.slice(3, 6), ["0", "15", "5"]);
      assert.match(
        generated[8],
        /^generated codes 20 → 5 \(the newest are removed first\); the 15 removed codes/,
      );
      assert.match(generated[8], /up to 2 held by profiles as of the last apply or refresh/);
    });

    it("exits 4 when a replaced coupon's codes are held, explaining each replaced batch", async () => {
      const r = await review(fixture("replace"));
      assert.equal(r.code, 4);
      assert.equal(r.stderr, "klaviyo-coupons: 2 dangerous changes; see the warnings\n");
      const coupon = row(r.stdout, "Coupon `couponA`");
      assert.deepEqual(coupon.slice(1, 5), ["`RVWA` → `RVWC`", "replace", "—", "all"]);
      assert.match(
        coupon[8],
        /^coupon replaced \(externalId changes\): Klaviyo deletes its codes, held ones included \(at least 5 held/,
      );
      const listed = row(r.stdout, "CouponCodeBatch `listed`");
      assert.deepEqual(listed.slice(1, 6), ["`RVWA` → `RVWC`", "replace", "10", "10", "10"]);
      assert.match(
        listed[8],
        /first the 10 codes on coupon `RVWA` are deleted except held ones, which stay until the coupon's deletion/,
      );
      assert.match(listed[8], /then its codes are created on `RVWC`$/);
      const [first, second] = warnings(r.stdout);
      assert.match(
        first,
        /^- \*\*Dangerous:\*\* `couponA`: the coupon is replaced, and Klaviyo deletes every code on `RVWA`/,
      );
      assert.match(
        second,
        /^- \*\*Dangerous:\*\* `derived`: the codes it removes include 1 held .* `fail-if-assigned`: the replacement would fail/,
      );
    });

    it("exits 0 with a warning for a coupon replacement when no code is held", async () => {
      const doc = fixture("replace");
      for (const s of doc.steps)
        if (s.oldState?.outputs?.statusCounts) s.oldState.outputs.statusCounts = { UNASSIGNED: 3 };
      const r = await review(doc);
      assert.equal(r.code, 0, r.stderr);
      assert.match(warnings(r.stdout)[0], /^- `couponA`: the coupon is replaced, .*at least 0 held/);
    });

    it("names both coupons when a batch moves to another coupon", async () => {
      const listed = row((await review(fixture("move"))).stdout, "CouponCodeBatch `listed`");
      assert.deepEqual(listed.slice(1, 6), ["`RVWA` → `RVWB`", "replace", "10", "10", "10"]);
      assert.match(
        listed[8],
        /^replaced: its codes are created on `RVWB`, then the 10 codes on coupon `RVWA` are deleted except held ones/,
      );
    });

    it("explains a delete under each delete policy and exits 4 only for held codes under fail-if-assigned", async () => {
      const effects: Record<string, RegExp> = {
        "delete-unassigned":
          /are deleted except held ones, which stay in Klaviyo \(delete-unassigned; 2 held/,
        retain: /are left in Klaviyo \(retain; 2 held/,
        "fail-if-assigned":
          /unless a profile holds one: then the delete fails and deletes nothing \(fail-if-assigned; 2 held/,
      };
      for (const [policy, effect] of Object.entries(effects)) {
        const doc = fixture("delete");
        for (const name of ["listed", "derived"]) setPolicy(step(doc, name), policy);
        const r = await review(doc);
        assert.equal(r.code, policy === "fail-if-assigned" ? 4 : 0, policy);
        const listed = row(r.stdout, "CouponCodeBatch `listed`");
        assert.deepEqual(listed.slice(2, 6), ["delete", "0", "10", "0"]);
        assert.match(listed[8], effect, policy);
      }
    });

    it("exits 4 when an update removes possibly held codes under fail-if-assigned", async () => {
      const doc = fixture("update");
      step(doc, "listed").newState.inputs.deletePolicy = "fail-if-assigned";
      const r = await review(doc);
      assert.equal(r.code, 4);
      assert.match(
        row(r.stdout, "CouponCodeBatch `listed`")[7],
        /^`delete-unassigned` → `fail-if-assigned`$/,
      );
      assert.match(
        warnings(r.stdout)[0],
        /`listed`: the codes it removes include up to 2 held .* the update would fail/,
      );
    });

    it("exits 4 when a coupon whose batches hold codes is deleted", async () => {
      const r = await review(fixture("coupon-delete"));
      assert.equal(r.code, 4);
      assert.match(
        row(r.stdout, "Coupon `couponA`")[8],
        /^coupon deleted: Klaviyo deletes its codes, held ones included/,
      );
      assert.match(row(r.stdout, "CouponCodeBatch `generated`")[8], /which stay until the coupon's deletion/);
    });

    it("never prints a code, whatever the preview", async () => {
      for (const name of NAMES) {
        const r = await review(fixture(name));
        for (const pattern of CODES) assert.doesNotMatch(r.stdout + r.stderr, pattern, name);
        assert.doesNotMatch(
          fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"),
          /RVW-|RVW[A-C]-D/,
          name,
        );
      }
    });

    it("reads the file given as a path, relative to the working directory", async () => {
      const r = await runCli(["review", "update.json"], {}, { cwd: FIXTURES });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\n2 to update\.\n/);
    });

    it("says so when nothing changes", async () => {
      const doc = fixture("update");
      doc.steps = doc.steps.filter((s) => s.op === "same");
      const r = await review(doc);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /No `Coupon` or `CouponCodeBatch` changes\./);
    });

    it("exits 2 when the input is not a preview's JSON, and 1 when the file cannot be read", async () => {
      const notJson = await review("Previewing update (dev):");
      assert.equal(notJson.code, 2);
      assert.match(
        notJson.stderr,
        /^klaviyo-coupons: stdin is not the output of 'pulumi preview --json': it is not JSON/,
      );
      const noSteps = await review({ diagnostics: [] });
      assert.equal(noSteps.code, 2);
      assert.match(noSteps.stderr, /did the preview fail\?/);
      const missing = await runCli(["review", "nope.json"], {}, { cwd: FIXTURES });
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, "klaviyo-coupons: cannot read nope.json (ENOENT)\n");
    });

    it("exits 2 without a file, with two, or with connection options but no --live", async () => {
      const cases: Array<[string[], RegExp]> = [
        [[], /the preview file is required/],
        [["a.json", "b.json"], /unexpected argument 'b\.json'/],
        [["a.json", "--api-key-file", "key"], /--api-key-file and --base-url are used only with --live/],
        [["a.json", "--colour"], /unknown option '--colour'/],
      ];
      for (const [args, pattern] of cases) {
        const r = await runCli(["review", ...args], {});
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.stderr, pattern);
      }
    });

    it("documents exit 4 in its help and in the top-level help", async () => {
      const help = await runCli(["review", "--help"], {});
      assert.match(help.stdout, /^Usage: klaviyo-coupons review <preview\.json \| -> \[--live\]/);
      assert.match(help.stdout, /4 dangerous/);
      const top = await runCli(["--help"], {});
      assert.match(top.stdout, /^ {2}review {9}Summarise 'pulumi preview --json'/m);
      assert.match(top.stdout, /4 review found a dangerous change/);
    });
  });
});
