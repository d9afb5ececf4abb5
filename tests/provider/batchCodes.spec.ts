import { strict as assert } from "assert";
import { codeDelta, desiredCodes, fingerprint, generateCodes, sameCodes } from "../../provider/batchCodes";

describe("batchCodes", () => {
  describe("generateCodes", () => {
    it("draws the requested number of distinct codes with prefix, length and alphabet", () => {
      const codes = generateCodes({ count: 2000, length: 8, prefix: "SP-", alphabet: "ABCDEFGH" }, []);
      assert.equal(codes.length, 2000);
      assert.equal(new Set(codes.map((c) => c.toUpperCase())).size, 2000);
      for (const c of codes) assert.match(c, /^SP-[A-H]{8}$/);
    });

    it("keeps existing codes stable and only adds when the count rises", () => {
      const first = generateCodes({ count: 10, length: 10 }, []);
      const more = generateCodes({ count: 15, length: 10 }, first);
      assert.deepEqual(more.slice(0, 10), first);
      assert.equal(more.length, 15);
    });

    it("drops the newest codes when the count falls", () => {
      const first = generateCodes({ count: 10, length: 10 }, []);
      assert.deepEqual(generateCodes({ count: 7, length: 10 }, first), first.slice(0, 7));
    });

    it("avoids codes that already exist on the coupon", () => {
      const avoid = generateCodes({ count: 60, length: 6, alphabet: "AB" }, []);
      const codes = generateCodes({ count: 4, length: 6, alphabet: "AB" }, [], avoid);
      for (const c of codes) assert.ok(!avoid.includes(c));
    });
  });

  describe("codeDelta", () => {
    it("finds added and removed codes", () => {
      assert.deepEqual(codeDelta(["A", "B", "C"], ["B", "C", "D"]), { added: ["D"], removed: ["A"] });
    });

    it("handles 100,000 codes with 1% changed quickly", () => {
      const current = Array.from({ length: 100_000 }, (_, i) => `CODE${i}`);
      const desired = current.slice(1000).concat(Array.from({ length: 1000 }, (_, i) => `NEW${i}`));
      const delta = codeDelta(current, desired);
      assert.equal(delta.added.length, 1000);
      assert.equal(delta.removed.length, 1000);
      assert.deepEqual(delta.removed.slice(0, 2), ["CODE0", "CODE1"]);
    });
  });

  describe("sameCodes", () => {
    it("ignores order but not content", () => {
      assert.equal(sameCodes(["A", "B"], ["B", "A"]), true);
      assert.equal(sameCodes(["A", "B"], ["A", "C"]), false);
      assert.equal(sameCodes(["A", "A"], ["A", "B"]), false);
    });
  });

  describe("fingerprint", () => {
    it("is order-independent and changes with the set", () => {
      assert.equal(fingerprint(["A", "B"]), fingerprint(["B", "A"]));
      assert.notEqual(fingerprint(["A", "B"]), fingerprint(["A", "C"]));
      assert.match(fingerprint(["A"]), /^[0-9a-f]{64}$/);
    });
  });

  describe("desiredCodes", () => {
    it("returns the declared list in codes mode", () => {
      assert.deepEqual(desiredCodes({ codes: ["X"] }, ["Y"]), ["X"]);
    });
  });
});
