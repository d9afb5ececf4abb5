import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { readPreview } from "../../../bin/review/preview";
import { NOT_KNOWN, type Preview } from "../../../bin/review/previewTypes";
import { UNKNOWN } from "../../../provider/values";
import { REPO_ROOT } from "../../../testkit/cliTestKit";

const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "preview");

type Doc = { steps: Array<Record<string, any>> };

function fixture(name: string): Doc {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Doc;
}

function read(doc: unknown): Preview {
  return readPreview(JSON.stringify(doc), (reason) => new Error(reason));
}

describe("reviewPreview", () => {
  describe("readPreview", () => {
    it("keeps only Coupon and CouponCodeBatch steps, named by the last URN segment", () => {
      const preview = read(fixture("create"));
      assert.match(String(preview.stack), /^acc-[0-9a-f]{6}$/);
      // Creations run concurrently: the order of the steps varies from one capture to the next.
      const byName = <T extends { name: string }>(list: T[]) =>
        [...list].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(
        byName(preview.coupons).map((c) => [c.name, c.action, c.oldId, c.newId, c.threshold]),
        [
          ["couponA", "create", null, "RVWA", 20],
          ["couponB", "create", null, "RVWB", null],
        ],
      );
      assert.deepEqual(
        byName(preview.batches).map((b) => b.name),
        ["derived", "generated", "listed"],
      );
    });

    it("reads an unknown property, whole or nested, as not known", () => {
      const preview = read(fixture("create"));
      const derived = preview.batches.find((b) => b.name === "derived");
      assert.equal(derived?.changes, NOT_KNOWN);
      assert.equal(derived?.newCoupon, NOT_KNOWN);
      assert.match(String(derived?.couponUrn), /klaviyo:Coupon::couponA$/);
      const doc = fixture("update");
      const listed = doc.steps.find((s) => String(s.urn).endsWith("::listed"));
      listed!.newState.inputs.codeChanges.added = UNKNOWN;
      listed!.newState.inputs.expiresAt = UNKNOWN;
      const batch = read(doc).batches.find((b) => b.name === "listed");
      assert.ok(batch?.changes !== NOT_KNOWN && batch?.changes !== null);
      assert.equal(batch?.changes?.added, NOT_KNOWN);
      assert.equal(batch?.changes?.removed, 3);
      assert.equal(batch?.newExpiry, NOT_KNOWN);
    });

    it("reads held codes, old count, policy and expiry from the stored outputs", () => {
      const listed = read(fixture("update")).batches.find((b) => b.name === "listed");
      assert.deepEqual(
        [listed?.oldCoupon, listed?.oldCount, listed?.held, listed?.oldPolicy, listed?.oldExpiry],
        ["RVWA", 10, 2, "delete-unassigned", "2031-01-01T00:00:00Z"],
      );
      assert.equal(listed?.newExpiry, "2032-01-01T00:00:00Z");
    });

    it("folds create-replacement and delete-replaced steps of one URN into one replacement", () => {
      const doc = fixture("move");
      const index = doc.steps.findIndex((s) => s.op === "replace");
      const { oldState, newState, ...rest } = doc.steps[index];
      doc.steps.splice(
        index,
        1,
        { ...rest, op: "create-replacement", oldState, newState },
        { ...rest, op: "delete-replaced", oldState, newState: oldState },
      );
      const preview = read(doc);
      assert.equal(preview.batches.length, 1);
      const [batch] = preview.batches;
      assert.deepEqual([batch.action, batch.oldCoupon, batch.newCoupon], ["replace", "RVWA", "RVWB"]);
    });

    it("takes the threshold of an unchanged coupon from its state (steps shown by --show-sames)", () => {
      const coupon = read(fixture("generated-lowered")).coupons.find((c) => c.name === "couponA");
      assert.deepEqual(
        [coupon?.action, coupon?.oldId, coupon?.newId, coupon?.threshold],
        ["same", "RVWA", "RVWA", 20],
      );
    });

    it("rejects input that is not JSON or has no steps", () => {
      assert.throws(() => readPreview("{", (r) => new Error(r)), /^Error: it is not JSON/);
      assert.throws(() => read({ changeSummary: {} }), /it has no "steps" array/);
      assert.throws(() => read([1]), /it has no "steps" array/);
    });
  });
});
