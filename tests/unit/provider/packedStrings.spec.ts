import { strict as assert } from "assert";
import { deflateRawSync } from "zlib";
import {
  isPacked,
  MAX_PACKED_LENGTH,
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

    it("round-trips empty strings, shared beginnings and the longest strings it holds", () => {
      const long = "x".repeat(MAX_PACKED_LENGTH);
      for (const list of [
        [""],
        ["", ""],
        ["AB", "ABC", "AB", "", "A"],
        [long, long, `${long.slice(1)}y`],
        [" ~!"],
      ]) {
        assert.deepEqual(unpackStrings(packStrings(list)!), list);
      }
    });

    it("packs 100,000 random twelve-character codes into under 9 bytes a code, under 5 sorted", () => {
      const codes = randomCodes(100_000);
      const perCode = (list: string[]) => packStrings(list)!.length / list.length;
      assert.ok(perCode(codes) < 9, `${perCode(codes)} bytes a code`);
      const sorted = [...codes].sort();
      assert.ok(perCode(sorted) < 5, `${perCode(sorted)} bytes a code sorted`);
      assert.deepEqual(unpackStrings(packStrings(sorted)!), sorted);
    });

    it("packs nothing when an element is not a string of printable ASCII, so check can name it", () => {
      for (const bad of [
        1,
        null,
        "B\nC",
        "caf\u00e9",
        "A\tB",
        "\ud83d\ude00",
        "x".repeat(MAX_PACKED_LENGTH + 1),
      ]) {
        assert.equal(packStrings(["A", bad]), undefined, JSON.stringify(bad));
      }
    });
  });

  describe("unpackStrings", () => {
    it("returns a list the caller may change without changing what the next unpacking returns", () => {
      const packed = packStrings(["A1", "B2", "C3"])!;
      const first = unpackStrings(packed);
      first.push("D4");
      first[0] = "Z9";
      assert.deepEqual(unpackStrings(packed), ["A1", "B2", "C3"]);
      const other = packStrings(["E5"])!;
      assert.deepEqual(unpackStrings(other), ["E5"]);
      assert.deepEqual(unpackStrings(packed), ["A1", "B2", "C3"]);
    });

    it("reads the newline-joined form (kcp1) development builds wrote", () => {
      const old = "kcp1:" + deflateRawSync("B2\nA1\nC3").toString("base64");
      assert.deepEqual(unpackStrings(old), ["B2", "A1", "C3"]);
      assert.deepEqual(unpackStrings("kcp1:" + deflateRawSync("").toString("base64")), []);
    });

    it("refuses damaged values without quoting them", () => {
      const body = (text: string) =>
        PACKED_PREFIX + deflateRawSync(Buffer.from(text, "latin1")).toString("base64");
      const damaged = [
        `${PACKED_PREFIX}@@@@`,
        `${PACKED_PREFIX}AAAA`,
        "A,B,C",
        body('2\n""ABC'), // two strings of two characters announced, three given
        body('1\n""A'), // one string of two characters announced, one given
        body('1\n!"AB'), // shares a character with no string before it
        body('1\n "A\n'), // a newline inside a string
        body('01\n "AB'), // a count with a leading zero
        body('3\n "AB'), // more strings announced than lengths given
      ];
      for (const value of damaged) {
        assert.throws(
          () => unpackStrings(value),
          (err: Error) => /damaged|not a packed/.test(err.message) && !err.message.includes("AB"),
          value,
        );
      }
    });

    it("refuses a value that would unpack to more than the largest batch", () => {
      const bomb = PACKED_PREFIX + deflateRawSync(Buffer.alloc(60_000_000, 65)).toString("base64");
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

function randomCodes(count: number): string[] {
  const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  // xorshift32: deterministic, and every draw is distinct until 2^32 - 1 of them.
  let seed = 7;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const codes = new Set<string>();
  while (codes.size < count) {
    let code = "GEN-";
    for (let i = 0; i < 8; i++) code += alphabet[next() % alphabet.length];
    codes.add(code);
  }
  return [...codes];
}
