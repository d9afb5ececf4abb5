import { strict as assert } from "assert";
import { createHash, createHmac } from "crypto";
import {
  codeDelta,
  desiredCodes,
  fingerprint,
  generateCodes,
  sameCodes,
  type CodeSource,
  type GenerateSpec,
} from "../../../../provider/batch/codes";
import { DEFAULT_ALPHABET } from "../../../../provider/batch/check";

const SOURCE: CodeSource = { secret: "pk_test_secret", scope: "proj/dev/codes\nSPRING10" };

describe("batchCodes", () => {
  describe("generateCodes", () => {
    it("draws the requested number of distinct codes with prefix, length and alphabet", () => {
      const codes = generateCodes(
        { count: 2000, length: 8, prefix: "SP-", alphabet: "ABCDEFGH" },
        [],
        SOURCE,
      );
      assert.equal(codes.length, 2000);
      assert.equal(new Set(codes.map((c) => c.toUpperCase())).size, 2000);
      for (const c of codes) assert.match(c, /^SP-[A-H]{8}$/);
    });

    it("keeps existing codes stable and only adds when the count rises", () => {
      const first = generateCodes({ count: 10, length: 10 }, [], SOURCE);
      const more = generateCodes({ count: 15, length: 10 }, first, SOURCE);
      assert.deepEqual(more.slice(0, 10), first);
      assert.equal(more.length, 15);
    });

    it("drops the newest codes when the count falls", () => {
      const first = generateCodes({ count: 10, length: 10 }, [], SOURCE);
      assert.deepEqual(generateCodes({ count: 7, length: 10 }, first, SOURCE), first.slice(0, 7));
    });

    it("repeats exactly the same codes from the same source and starting list, so a re-run adopts them", () => {
      const spec = { count: 500, length: 8, prefix: "GEN-" };
      assert.deepEqual(generateCodes(spec, [], SOURCE), generateCodes(spec, [], { ...SOURCE }));
      const base = generateCodes({ ...spec, count: 100 }, [], SOURCE);
      assert.deepEqual(generateCodes(spec, base, SOURCE), generateCodes(spec, base, SOURCE));
    });

    it("draws exactly the codes earlier releases drew (HMAC-SHA256 counter mode), so re-runs after an upgrade adopt them", () => {
      const cases: Array<[GenerateSpec, string[], CodeSource]> = [
        [{ count: 300, length: 8, prefix: "GEN-" }, [], SOURCE],
        [{ count: 50, length: 64 }, ["X1", "x2"], { secret: "k".repeat(90), scope: "p/s/b\nC" }],
        [
          { count: 200, length: 6, alphabet: "ABCDEFGHJK" },
          [],
          { secret: "cl\u00e9", scope: "\u00e9t\u00e9" },
        ],
      ];
      for (const [spec, existing, source] of cases) {
        assert.deepEqual(generateCodes(spec, existing, source), referenceCodes(spec, existing, source));
      }
    });

    it("gives another batch, coupon or account entirely different codes", () => {
      const spec = { count: 200, length: 8 };
      const mine = new Set(generateCodes(spec, [], SOURCE));
      for (const other of [
        { ...SOURCE, scope: "proj/dev/other\nSPRING10" },
        { ...SOURCE, scope: "proj/dev/codes\nSUMMER10" },
        { ...SOURCE, secret: "pk_other_account" },
      ]) {
        assert.equal(generateCodes(spec, [], other).filter((c) => mine.has(c)).length, 0);
      }
    });

    it("never repeats a code, case-insensitively, even in a tiny code space", () => {
      const codes = generateCodes({ count: 60, length: 6, alphabet: "Ab" }, [], SOURCE);
      assert.equal(new Set(codes.map((c) => c.toUpperCase())).size, 60);
    });

    it("uses every letter of the alphabet about equally", () => {
      const counts = new Map<string, number>();
      for (const c of generateCodes({ count: 2000, length: 10, alphabet: "ABCDEFG" }, [], SOURCE)) {
        for (const ch of c) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      }
      for (const n of counts.values()) assert.ok(Math.abs(n - 20000 / 7) < 200, String(n));
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
      assert.equal(fingerprint(["A", "B"], "k"), fingerprint(["B", "A"], "k"));
      assert.notEqual(fingerprint(["A", "B"], "k"), fingerprint(["A", "C"], "k"));
      assert.match(fingerprint(["A"], "k"), /^[0-9a-f]{64}$/);
    });

    it("cannot be reversed by hashing candidate pools without the account's key", () => {
      const pool = ["SPRING-0001", "SPRING-0002"];
      const plain = createHash("sha256")
        .update([...pool].sort().join("\n"))
        .digest("hex");
      assert.notEqual(fingerprint(pool, "pk_secret"), plain);
      assert.notEqual(fingerprint(pool, "pk_secret"), fingerprint(pool, "pk_other"));
    });
  });

  describe("desiredCodes", () => {
    it("returns the declared list in codes mode", () => {
      assert.deepEqual(desiredCodes({ codes: ["X"] }, ["Y"], SOURCE), ["X"]);
    });
  });
});

// The derivation as 0.1.0 wrote it, on Node's own HMAC: one createHmac per block of each draw.
function referenceCodes(spec: GenerateSpec, existing: string[], source: CodeSource): string[] {
  const alphabet = spec.alphabet ?? DEFAULT_ALPHABET;
  const prefix = spec.prefix ?? "";
  const limit = 256 - (256 % alphabet.length);
  const result = [...existing];
  const taken = new Set(existing.map((c) => c.toUpperCase()));
  for (let draw = 0; result.length < spec.count; draw++) {
    let code = prefix;
    for (let block = 0; code.length < prefix.length + spec.length; block++) {
      const message = [
        source.scope,
        prefix,
        spec.length,
        alphabet,
        String(existing.length),
        draw,
        block,
      ].join("\n");
      for (const byte of createHmac("sha256", source.secret).update(message).digest()) {
        if (byte < limit && code.length < prefix.length + spec.length)
          code += alphabet[byte % alphabet.length];
      }
    }
    if (taken.has(code.toUpperCase())) continue;
    taken.add(code.toUpperCase());
    result.push(code);
  }
  return result;
}
