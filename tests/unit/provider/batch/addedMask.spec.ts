import { strict as assert } from "assert";
import { packAddedMask, unpackAddedMask } from "../../../../provider/batch/addedMask";

const codes = Array.from({ length: 1000 }, (_, i) => `CODE-${String(i).padStart(4, "0")}`);

describe("addedMask", () => {
  describe("packAddedMask", () => {
    it("marks exactly the added codes, wherever they sit in the list", () => {
      const added = [codes[0], codes[7], codes[8], codes[500], codes[999]];
      assert.deepEqual(unpackAddedMask(packAddedMask(codes, added), codes), added);
    });

    it("marks every code when all were added (a create) and none when none were", () => {
      assert.deepEqual(unpackAddedMask(packAddedMask(codes, codes), codes), codes);
      assert.deepEqual(unpackAddedMask(packAddedMask(codes, []), codes), []);
    });

    it("costs far less than the codes: a run of 100,000 added codes packs into a few hundred bytes", () => {
      const many = Array.from({ length: 100_000 }, (_, i) => `C${i}`);
      assert.ok(packAddedMask(many, many.slice(50_000)).length < 500);
    });

    it("holds no code", () => {
      const mask = packAddedMask(["SECRET-ONE", "SECRET-TWO"], ["SECRET-TWO"]);
      assert.ok(!mask.includes("SECRET"), mask);
    });
  });

  describe("unpackAddedMask", () => {
    it("reads nothing added from state without a mask or with a mask out of step with the codes", () => {
      assert.deepEqual(unpackAddedMask(undefined, codes), []);
      assert.deepEqual(unpackAddedMask(packAddedMask(codes.slice(1), codes.slice(1)), codes), []);
      assert.deepEqual(unpackAddedMask("kbm1:1000:!!!", codes), []);
      assert.deepEqual(unpackAddedMask(42, codes), []);
    });
  });
});
