import { strict as assert } from "assert";
import { checkBatchInputs, DEFAULT_ALPHABET } from "../../provider/batchCheck";
import { UNKNOWN } from "../../provider/values";

const NOW = Date.parse("2026-11-24T00:00:00Z");

/** Malformed batch inputs and the property each must be blamed on. Shared with the host test. */
export const MALFORMED_BATCH_INPUTS: Array<{
  name: string;
  inputs: Record<string, unknown>;
  property: string;
}> = [
  { name: "missing couponId", inputs: { codes: ["A1"] }, property: "couponId" },
  { name: "empty couponId", inputs: { couponId: "", codes: ["A1"] }, property: "couponId" },
  { name: "couponId with a space", inputs: { couponId: "SPRING 10", codes: ["A1"] }, property: "couponId" },
  { name: "neither codes nor generate", inputs: { couponId: "C" }, property: "codes" },
  {
    name: "both codes and generate",
    inputs: { couponId: "C", codes: ["A1"], generate: { count: 1, length: 8 } },
    property: "generate",
  },
  { name: "codes not a list", inputs: { couponId: "C", codes: "A1,B2" }, property: "codes" },
  { name: "empty codes list", inputs: { couponId: "C", codes: [] }, property: "codes" },
  { name: "empty code", inputs: { couponId: "C", codes: ["A1", ""] }, property: "codes[1]" },
  { name: "whitespace code", inputs: { couponId: "C", codes: ["   "] }, property: "codes[0]" },
  { name: "code with a space", inputs: { couponId: "C", codes: ["A1", "B 2"] }, property: "codes[1]" },
  { name: "code with punctuation", inputs: { couponId: "C", codes: ["A1!"] }, property: "codes[0]" },
  { name: "code with a quote", inputs: { couponId: "C", codes: ['A"1'] }, property: "codes[0]" },
  { name: "code too long", inputs: { couponId: "C", codes: ["X".repeat(65)] }, property: "codes[0]" },
  { name: "number as code", inputs: { couponId: "C", codes: ["A1", 42] }, property: "codes[1]" },
  { name: "exact duplicate", inputs: { couponId: "C", codes: ["A1", "B2", "A1"] }, property: "codes[2]" },
  {
    name: "case-insensitive duplicate",
    inputs: { couponId: "C", codes: ["abc1", "ABC1"] },
    property: "codes[1]",
  },
  {
    name: "expiresAt not a date",
    inputs: { couponId: "C", codes: ["A1"], expiresAt: "next tuesday" },
    property: "expiresAt",
  },
  {
    name: "expiresAt impossible date",
    inputs: { couponId: "C", codes: ["A1"], expiresAt: "2027-02-30T00:00:00Z" },
    property: "expiresAt",
  },
  {
    name: "expiresAt in the past",
    inputs: { couponId: "C", codes: ["A1"], expiresAt: "2020-01-01T00:00:00Z" },
    property: "expiresAt",
  },
  {
    name: "expiresAt a number",
    inputs: { couponId: "C", codes: ["A1"], expiresAt: 1767225600 },
    property: "expiresAt",
  },
  {
    name: "generate count zero",
    inputs: { couponId: "C", generate: { count: 0, length: 10 } },
    property: "generate.count",
  },
  {
    name: "generate count too large",
    inputs: { couponId: "C", generate: { count: 600000, length: 10 } },
    property: "generate.count",
  },
  {
    name: "generate count fractional",
    inputs: { couponId: "C", generate: { count: 2.5, length: 10 } },
    property: "generate.count",
  },
  {
    name: "generate length too short",
    inputs: { couponId: "C", generate: { count: 10, length: 3 } },
    property: "generate.length",
  },
  {
    name: "generate missing length",
    inputs: { couponId: "C", generate: { count: 10 } },
    property: "generate.length",
  },
  {
    name: "generate code space too small",
    inputs: { couponId: "C", generate: { count: 100000, length: 6, alphabet: "AB" } },
    property: "generate.length",
  },
  {
    name: "generate bad prefix",
    inputs: { couponId: "C", generate: { count: 10, length: 10, prefix: "SP RING" } },
    property: "generate.prefix",
  },
  {
    name: "generate repeated alphabet",
    inputs: { couponId: "C", generate: { count: 10, length: 10, alphabet: "ABCA" } },
    property: "generate.alphabet",
  },
  {
    name: "generate unknown key",
    inputs: { couponId: "C", generate: { count: 10, length: 10, size: 3 } },
    property: "generate.size",
  },
  {
    name: "bad deletePolicy",
    inputs: { couponId: "C", codes: ["A1"], deletePolicy: "delete-all" },
    property: "deletePolicy",
  },
  {
    name: "maxConcurrentJobs above Klaviyo's queue",
    inputs: { couponId: "C", codes: ["A1"], maxConcurrentJobs: 101 },
    property: "maxConcurrentJobs",
  },
  {
    name: "jobTimeoutSeconds too small",
    inputs: { couponId: "C", codes: ["A1"], jobTimeoutSeconds: 1 },
    property: "jobTimeoutSeconds",
  },
  {
    name: "unknown property",
    inputs: { couponId: "C", codes: ["A1"], expiry: "2030-01-01" },
    property: "expiry",
  },
];

describe("batchCheck", () => {
  describe("checkBatchInputs", () => {
    for (const c of MALFORMED_BATCH_INPUTS) {
      it(`blames ${c.property} when given ${c.name}`, () => {
        const { failures } = checkBatchInputs(c.inputs, NOW);
        assert.ok(failures.length > 0, "expected failures");
        assert.ok(
          failures.some((f) => f.property === c.property),
          `expected a failure on ${c.property}, got ${JSON.stringify(failures)}`,
        );
      });
    }

    it("names the offending code and its earlier twin when codes repeat case-insensitively", () => {
      const { failures } = checkBatchInputs({ couponId: "C", codes: ["abc1", "X2", "ABC1"] }, NOW);
      assert.equal(failures.length, 1);
      assert.match(failures[0].reason, /"ABC1" duplicates codes\[0\] \("abc1"\)/);
    });

    it("summarises instead of listing 100,000 failures when most codes are bad", () => {
      const codes = Array.from({ length: 1000 }, (_, i) => `bad code ${i}`);
      const { failures } = checkBatchInputs({ couponId: "C", codes }, NOW);
      assert.equal(failures.length, 21);
      assert.match(failures[20].reason, /980 more invalid codes/);
    });

    it("accepts valid codes and applies defaults", () => {
      const { inputs, failures } = checkBatchInputs(
        { couponId: "SPRING10", codes: ["A1", "b_2", "C-3"], expiresAt: "2027-06-01T00:00:00Z" },
        NOW,
      );
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs, {
        couponId: "SPRING10",
        codes: ["A1", "b_2", "C-3"],
        expiresAt: "2027-06-01T00:00:00Z",
        deletePolicy: "delete-unassigned",
        maxConcurrentJobs: 25,
        jobTimeoutSeconds: 900,
      });
    });

    it("accepts a generate spec with the default alphabet", () => {
      const { failures } = checkBatchInputs({ couponId: "C", generate: { count: 100000, length: 10 } }, NOW);
      assert.deepEqual(failures, []);
      assert.ok(!/[01OIL]/.test(DEFAULT_ALPHABET));
    });

    it("passes unknown values through untouched during preview", () => {
      const news = { couponId: UNKNOWN, codes: UNKNOWN, expiresAt: UNKNOWN };
      const { inputs, failures } = checkBatchInputs(news, NOW);
      assert.deepEqual(failures, []);
      assert.equal(inputs.couponId, UNKNOWN);
      assert.equal(inputs.codes, UNKNOWN);
      assert.equal(inputs.expiresAt, UNKNOWN);
    });

    it("skips unknown elements inside a known list", () => {
      const { failures } = checkBatchInputs({ couponId: "C", codes: ["A1", UNKNOWN, "B2"] }, NOW);
      assert.deepEqual(failures, []);
    });
  });
});
