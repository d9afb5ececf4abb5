import { strict as assert } from "assert";
import {
  codeChangesOf,
  MAX_REMOVED_TAGS,
  replacementLine,
  TAG_LENGTH,
} from "../../../../provider/batch/codeChanges";
import { codeTag, fingerprint } from "../../../../provider/batch/codes";
import { packStrings } from "../../../../provider/packedStrings";
import { UNKNOWN } from "../../../../provider/values";

const KEY = "pk_test_key";
const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function listed(couponId: string, list: string[]): Record<string, unknown> {
  return { couponId, codes: packStrings([...list].sort()) };
}

function generated(couponId: string, count: number): Record<string, unknown> {
  return { couponId, generate: { count, length: 10 } };
}

describe("codeChanges", () => {
  describe("codeChangesOf", () => {
    it("counts every code as added, with the declared pool's fingerprint, when the batch is created", () => {
      const now = codes("NEW-", 5);
      const changes = codeChangesOf({}, listed("C", now), now, KEY);
      assert.deepEqual(changes, {
        added: 5,
        removed: 0,
        codeCount: 5,
        fingerprint: fingerprint(now, KEY),
        removedTags: null,
      });
    });

    it("counts the codes added and removed between two listed declarations and tags the removed ones", () => {
      const before = codes("A-", 10);
      const now = [...before.slice(3), "B-1", "B-2"];
      const changes = codeChangesOf(listed("C", before), listed("C", now), now, KEY);
      assert.ok(changes !== UNKNOWN);
      assert.equal(changes.added, 2);
      assert.equal(changes.removed, 3);
      assert.equal(changes.codeCount, 9);
      const expected = before.slice(0, 3).map((c) => codeTag(c, KEY, TAG_LENGTH));
      assert.equal(changes.removedTags, expected.join(""));
    });

    it("reports no change and the unchanged fingerprint when the same codes come in another order", () => {
      const before = codes("A-", 10);
      const now = [...before].reverse();
      const changes = codeChangesOf(listed("C", before), { couponId: "C", codes: now }, now, KEY);
      assert.deepEqual(changes, {
        added: 0,
        removed: 0,
        codeCount: 10,
        fingerprint: fingerprint(before, KEY),
        removedTags: null,
      });
    });

    it("reads old state written as a plain list in any order (0.1)", () => {
      const before = ["A-3", "B-1", "A-0", "Z-9", "A-2"];
      const now = ["A-2", "N-1", "A-0", "A-3"];
      const changes = codeChangesOf({ couponId: "C", codes: before }, listed("C", now), now, KEY);
      assert.ok(changes !== UNKNOWN);
      assert.deepEqual([changes.added, changes.removed], [1, 2]);
      const tags = ["B-1", "Z-9"].map((c) => codeTag(c, KEY, TAG_LENGTH)).join("");
      assert.equal(changes.removedTags, tags);
    });

    it("counts generated codes added when the count is raised and removed when it is lowered", () => {
      const raised = codeChangesOf(generated("C", 100), generated("C", 150), undefined, KEY);
      const lowered = codeChangesOf(generated("C", 100), generated("C", 60), undefined, KEY);
      assert.deepEqual(raised, {
        added: 50,
        removed: 0,
        codeCount: 150,
        fingerprint: null,
        removedTags: null,
      });
      assert.deepEqual(lowered, {
        added: 0,
        removed: 40,
        codeCount: 60,
        fingerprint: null,
        removedTags: null,
      });
    });

    it("counts no removal when a pool with keepUnassigned lowers its count (such a pool never shrinks)", () => {
      const withTarget = (count: number) => ({
        couponId: "C",
        generate: { count, length: 10, keepUnassigned: 5 },
      });
      const changes = codeChangesOf(withTarget(100), withTarget(60), undefined, KEY);
      assert.deepEqual(changes, {
        added: 0,
        removed: 0,
        codeCount: 60,
        fingerprint: null,
        removedTags: null,
      });
    });

    it("keeps listed codes when a batch switches to generated codes, counting only the difference", () => {
      const before = codes("A-", 10);
      const changes = codeChangesOf(listed("C", before), generated("C", 25), undefined, KEY);
      assert.ok(changes !== UNKNOWN);
      assert.deepEqual([changes.added, changes.removed, changes.codeCount], [15, 0, 25]);
    });

    it("counts every generated code as removed when a batch switches to listed codes", () => {
      const now = codes("L-", 3);
      const changes = codeChangesOf(generated("C", 20), listed("C", now), now, KEY);
      assert.ok(changes !== UNKNOWN);
      assert.deepEqual([changes.added, changes.removed], [3, 20]);
    });

    it("describes the new batch alone when the coupon changes (a replacement)", () => {
      const now = codes("A-", 6);
      for (const couponId of ["OTHER", UNKNOWN]) {
        const changes = codeChangesOf(listed("C", now), { ...listed("C", now), couponId }, now, KEY);
        assert.ok(changes !== UNKNOWN);
        assert.deepEqual([changes.added, changes.removed], [6, 0]);
      }
    });

    it("is unknown while the codes or the generated count are unknown in a preview", () => {
      assert.equal(
        codeChangesOf(listed("C", ["A"]), { couponId: "C", codes: UNKNOWN }, undefined, KEY),
        UNKNOWN,
      );
      const count = { couponId: "C", generate: { count: UNKNOWN, length: 10 } };
      assert.equal(codeChangesOf(generated("C", 5), count, undefined, KEY), UNKNOWN);
      const prefix = { couponId: "C", generate: { count: 5, length: 10, prefix: UNKNOWN } };
      assert.equal(codeChangesOf(generated("C", 5), prefix, undefined, KEY), UNKNOWN);
    });

    it("cannot tell what changed (null counts) when the old codes cannot be read", () => {
      const now = ["A"];
      const changes = codeChangesOf({ couponId: "C", codes: "kcp2:!!damaged" }, listed("C", now), now, KEY);
      assert.ok(changes !== UNKNOWN);
      assert.deepEqual([changes.added, changes.removed, changes.codeCount], [null, null, 1]);
    });

    it("leaves fingerprint and tags out when no API key is configured", () => {
      const before = codes("A-", 3);
      const changes = codeChangesOf(listed("C", before), listed("C", ["Z"]), ["Z"], null);
      assert.deepEqual(changes, { added: 1, removed: 3, codeCount: 1, fingerprint: null, removedTags: null });
    });

    it(`tags at most ${MAX_REMOVED_TAGS} removed codes, so a mass removal does not flood the preview`, () => {
      const at = codes("A-", MAX_REMOVED_TAGS);
      const over = codes("A-", MAX_REMOVED_TAGS + 1);
      const fits = codeChangesOf(listed("C", at), listed("C", ["Z"]), ["Z"], KEY);
      const spills = codeChangesOf(listed("C", over), listed("C", ["Z"]), ["Z"], KEY);
      assert.ok(fits !== UNKNOWN && spills !== UNKNOWN);
      assert.equal(fits.removedTags?.length, MAX_REMOVED_TAGS * TAG_LENGTH);
      assert.equal(spills.removedTags, null);
      assert.equal(spills.removed, MAX_REMOVED_TAGS + 1);
    });

    it("never contains a code in plain text", () => {
      const before = ["SECRET-AAAA-1", "SECRET-AAAA-2"];
      const now = ["SECRET-BBBB-1"];
      const text = JSON.stringify(codeChangesOf(listed("C", before), listed("C", now), now, KEY));
      assert.ok(!text.includes("SECRET"), text);
    });
  });

  describe("replacementLine", () => {
    it("says where the codes go and what the delete policy does to the old coupon's codes", () => {
      const olds = {
        couponId: "OLD",
        codeCount: 12,
        deletePolicy: "delete-unassigned",
        statusCounts: { UNASSIGNED: 9, ASSIGNED_TO_PROFILE: 2, USED: 1 },
      };
      assert.equal(
        replacementLine(olds, { couponId: "NEW" }),
        "[klaviyo] coupon OLD: couponId changes, so the batch is replaced: its codes are created on coupon NEW, " +
          "then the 12 codes on coupon OLD are deleted, except codes a profile holds, which stay in Klaviyo " +
          "(deletePolicy delete-unassigned; 3 held by profiles at the last apply or refresh)",
      );
    });

    it("names the new coupon as unknown in a preview and warns that fail-if-assigned can refuse", () => {
      const line = replacementLine(
        { couponId: "OLD", codeCount: 3, deletePolicy: "fail-if-assigned", statusCounts: {} },
        { couponId: UNKNOWN },
      );
      assert.match(line, /created on the new coupon/);
      assert.match(line, /the replacement fails, deleting nothing/);
    });
  });
});
