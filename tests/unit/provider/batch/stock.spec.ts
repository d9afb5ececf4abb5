import { strict as assert } from "assert";
import type { GenerateSpec } from "../../../../provider/batch/codes";
import { expiredUnheld, stockCounts } from "../../../../provider/batch/listing";
import type { LiveCode } from "../../../../provider/batch/mappers";
import type { BatchInputs } from "../../../../provider/batch/inputs";
import type { BatchState } from "../../../../provider/batch/outputs";
import {
  drawingSpec,
  generatedPoolChanged,
  pruningDue,
  stockDeficit,
  stockLines,
} from "../../../../provider/batch/stock";

const NOW = Date.parse("2027-01-01T00:00:00Z");
const PAST = "2026-12-31T00:00:00+00:00";
const FUTURE = "2027-06-30T00:00:00+00:00";
const spec = (count: number, keepUnassigned?: number): GenerateSpec => ({
  count,
  length: 10,
  keepUnassigned,
});

function state(
  codes: number,
  availableCodes: number | null,
  expired = { unassigned: 0, held: 0 },
): BatchState {
  return {
    codes: Array.from({ length: codes }, (_, i) => `C${i}`),
    availableCodes,
    expiredCodes: expired,
  } as unknown as BatchState;
}

function live(entries: Array<[string, Partial<LiveCode>]>): Map<string, LiveCode> {
  return new Map(
    entries.map(([code, l]) => [code, { status: "UNASSIGNED", expiresAt: null, profileId: null, ...l }]),
  );
}

describe("batchStock", () => {
  describe("stockCounts", () => {
    it("counts unassigned unexpired codes as available and splits expired ones into unheld and held", () => {
      const codes = live([
        ["A", {}],
        ["B", { expiresAt: FUTURE }],
        ["C", { expiresAt: PAST }],
        ["D", { expiresAt: PAST, status: "ASSIGNED_TO_PROFILE", profileId: "p" }],
        ["E", { status: "ASSIGNED_TO_PROFILE", profileId: "p" }],
        ["F", { status: "USED", expiresAt: PAST }],
      ]);
      assert.deepEqual(stockCounts(codes.keys(), codes, NOW), {
        available: 2,
        expiredUnassigned: 1,
        expiredHeld: 2,
      });
      assert.deepEqual(expiredUnheld([...codes.keys()], codes, NOW), ["C"]);
    });
  });

  describe("drawingSpec", () => {
    it("draws count codes when there is no stock target", () => {
      assert.equal(drawingSpec(spec(20), 50, 3).count, 20);
    });

    it("draws the larger of count and keepUnassigned when the pool is created", () => {
      assert.equal(drawingSpec(spec(20, 50), 0, null).count, 50);
      assert.equal(drawingSpec(spec(80, 50), 0, null).count, 80);
    });

    it("adds what the pool is short of the target on top of the codes it holds, never trimming a grown pool", () => {
      assert.equal(drawingSpec(spec(20, 15), 25, 10).count, 30);
      assert.equal(drawingSpec(spec(20, 15), 25, 15).count, 25);
      assert.equal(drawingSpec(spec(10, 15), 40, 30).count, 40);
    });

    it("stops at 500,000 codes, the most one batch may hold, and then reports no change", () => {
      assert.equal(drawingSpec(spec(20, 1000), 499_990, 10).count, 500_000);
      assert.equal(drawingSpec(spec(20, 1000), 500_000, 10).count, 500_000);
      assert.equal(generatedPoolChanged(state(500_000, 10), spec(20, 1000)), false);
    });

    it("adds nothing for a pool never counted (state from before the counts) beyond count", () => {
      assert.equal(drawingSpec(spec(20, 15), 25, null).count, 25);
    });
  });

  describe("generatedPoolChanged", () => {
    it("compares the held codes with count when there is no stock target", () => {
      assert.equal(generatedPoolChanged(state(20, 5), spec(20)), false);
      assert.equal(generatedPoolChanged(state(20, 5), spec(25)), true);
      assert.equal(generatedPoolChanged(state(20, 5), spec(15)), true);
    });

    it("changes only when the pool is below count or below its target, not when it has grown past count", () => {
      assert.equal(generatedPoolChanged(state(30, 15), spec(20, 15)), false);
      assert.equal(generatedPoolChanged(state(30, 14), spec(20, 15)), true);
      assert.equal(generatedPoolChanged(state(10, 15), spec(20, 15)), true);
      assert.equal(generatedPoolChanged(state(30, null), spec(20, 15)), false);
    });
  });

  describe("stockLines", () => {
    it("says how many codes the apply generates, and why, and how many expired codes pruning deletes", () => {
      const inputs = { couponId: "C", generate: spec(20, 15), pruneExpired: true } as BatchInputs;
      assert.deepEqual(stockLines(state(20, 10, { unassigned: 3, held: 1 }), inputs), [
        "[klaviyo] coupon C: 10 unassigned codes at the last refresh or apply, below keepUnassigned 15: " +
          "this apply generates and uploads 5 codes",
        "[klaviyo] coupon C: pruneExpired: 3 expired codes no profile holds are deleted (1 expired codes " +
          "profiles hold stay), as of the last refresh or apply",
      ]);
      assert.deepEqual(stockLines(state(20, 15), inputs), []);
    });
  });

  describe("pruningDue", () => {
    it("is due only with pruneExpired and expired unheld codes at the last refresh or apply", () => {
      const on = { pruneExpired: true } as BatchInputs;
      assert.equal(pruningDue(state(5, 5, { unassigned: 1, held: 0 }), on), true);
      assert.equal(pruningDue(state(5, 5, { unassigned: 0, held: 4 }), on), false);
      assert.equal(pruningDue(state(5, 5, { unassigned: 1, held: 0 }), {} as BatchInputs), false);
    });
  });

  describe("stockDeficit", () => {
    it("is the target minus the available codes, never negative, and 0 when either is unknown", () => {
      assert.equal(stockDeficit({ keepUnassigned: 10 }, 4), 6);
      assert.equal(stockDeficit({ keepUnassigned: 10 }, 40), 0);
      assert.equal(stockDeficit({ keepUnassigned: 10 }, null), 0);
      assert.equal(stockDeficit(null, 4), 0);
    });
  });
});
