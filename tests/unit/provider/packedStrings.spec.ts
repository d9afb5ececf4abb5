import { strict as assert } from "assert";
import { deflateRawSync } from "zlib";
import {
  isPacked,
  PACKED_PREFIX,
  packStrings,
  readStrings,
  unpackStrings,
} from "../../../provider/packedStrings";

describe("packedStrings", () => {
  describe("packStrings", () => {
    it("round-trips lists of codes, the empty list included, keeping their order", () => {
      for (const list of [
        [],
        ["A"],
        ["b", "A", "a", "Z_9-x"],
        Array.from({ length: 1000 }, (_, i) => `C${999 - i}`),
      ]) {
        const packed = packStrings(list);
        assert.ok(packed !== undefined && isPacked(packed));
        assert.deepEqual(unpackStrings(packed), list);
      }
    });

    it("packs 100,000 twelve-character codes into under 9 bytes a code", () => {
      const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
      const codes = Array.from({ length: 100_000 }, () => {
        let code = "GEN-";
        for (let i = 0; i < 8; i++) code += alphabet[next() % alphabet.length];
        return code;
      });
      const packed = packStrings(codes)!;
      assert.ok(packed.length / codes.length < 9, `${packed.length / codes.length} bytes a code`);
    });

    it("packs nothing when an element is not a code-like string, so check can name it", () => {
      assert.equal(packStrings(["A", 1]), undefined);
      assert.equal(packStrings(["A", "B\nC"]), undefined);
      assert.equal(packStrings([""]), undefined);
      assert.equal(packStrings(["A", null]), undefined);
    });
  });

  describe("unpackStrings", () => {
    it("refuses damaged values without quoting them", () => {
      for (const damaged of [`${PACKED_PREFIX}@@@@`, `${PACKED_PREFIX}AAAA`, "A,B,C"]) {
        assert.throws(
          () => unpackStrings(damaged),
          (err: Error) => !err.message.includes(damaged.slice(PACKED_PREFIX.length) || damaged),
        );
      }
    });

    it("refuses a value that would unpack to more than the largest batch", () => {
      const bomb = PACKED_PREFIX + deflateRawSync(Buffer.alloc(40_000_000, 65)).toString("base64");
      assert.throws(() => unpackStrings(bomb), /more than 500,000 codes/);
    });
  });

  describe("readStrings", () => {
    it("reads a list as 0.1 stored it and a packed list alike", () => {
      assert.deepEqual(readStrings(["X1", "X2"]), ["X1", "X2"]);
      assert.deepEqual(readStrings(packStrings(["X1", "X2"])), ["X1", "X2"]);
    });

    it("returns undefined for values that are neither", () => {
      for (const value of ["X1,X2", 3, [1], { codes: [] }, null]) assert.equal(readStrings(value), undefined);
    });
  });
});
