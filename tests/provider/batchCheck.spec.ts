import { strict as assert } from "assert";
import { checkBatchInputs, DEFAULT_ALPHABET } from "../../provider/batchCheck";
import { UNKNOWN } from "../../provider/values";
import { MALFORMED_BATCH_INPUTS } from "./fixtures/malformedBatchInputs";

const NOW = Date.parse("2026-11-24T00:00:00Z");

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

    it("names the index of a repeated code and of its earlier twin, never the codes, when codes repeat case-insensitively", () => {
      const { failures } = checkBatchInputs({ couponId: "C", codes: ["abc1", "X2", "ABC1"] }, NOW);
      assert.deepEqual(failures, [
        { property: "codes[2]", reason: "duplicates codes[0]; codes are compared case-insensitively" },
      ]);
    });

    it("explains an invalid code by its index and the offending character, never quoting the code", () => {
      const codes = ["SECRET 1", "SECRET-2".repeat(10), " ", 123456];
      const { failures } = checkBatchInputs({ couponId: "C", codes }, NOW);
      assert.deepEqual(failures, [
        {
          property: "codes[0]",
          reason: 'has " " at position 7; a code may contain only letters, digits, "-" and "_"',
        },
        { property: "codes[1]", reason: "is 80 characters long; at most 64 allowed" },
        { property: "codes[2]", reason: "is empty or whitespace" },
        { property: "codes[3]", reason: "code must be a string, got a number" },
      ]);
      assert.ok(!JSON.stringify(failures).includes("SECRET"));
      assert.ok(!JSON.stringify(failures).includes("123456"));
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
