import { strict as assert } from "assert";
import type * as pulumi from "@pulumi/pulumi";
import type { CouponCodeBatchArgs, GenerateArgs } from "../../../../provider/batch/resource";
import {
  BATCH_INPUTS,
  batchInputNames,
  batchInputsFrom,
  batchSettings,
  replacingBatchInputs,
  type BatchInputs,
} from "../../../../provider/batch/inputs";
import {
  batchStateFrom,
  buildOutputs,
  storedOutputs,
  type BatchOutputs,
} from "../../../../provider/batch/outputs";
import { isPacked, packStrings } from "../../../../provider/packedStrings";

// True only when A and B are the same type (optionality and readonly included).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The public args as release 0.1.0 declared them by hand, plus the optional inputs added since
// (keepUnassigned, pruneExpired): the derived ones must not differ.
interface ReleasedGenerateArgs {
  count: pulumi.Input<number>;
  length: pulumi.Input<number>;
  prefix?: pulumi.Input<string>;
  alphabet?: pulumi.Input<string>;
  keepUnassigned?: pulumi.Input<number>;
}
interface ReleasedCouponCodeBatchArgs {
  couponId: pulumi.Input<string>;
  codes?: pulumi.Input<pulumi.Input<string>[]>;
  generate?: pulumi.Input<ReleasedGenerateArgs>;
  expiresAt?: pulumi.Input<string>;
  deletePolicy?: pulumi.Input<"delete-unassigned" | "retain" | "fail-if-assigned">;
  maxConcurrentJobs?: pulumi.Input<number>;
  jobTimeoutSeconds?: pulumi.Input<number>;
  secretCodes?: boolean;
  generationSeed?: pulumi.Input<string>;
  pruneExpired?: pulumi.Input<boolean>;
  adoptExisting?: pulumi.Input<boolean>;
}

// Compile-time checks (npx tsc --noEmit): each line fails to compile when the two types drift apart.
const _publicArgs: Same<CouponCodeBatchArgs, ReleasedCouponCodeBatchArgs> = true;
const _publicGenerate: Same<GenerateArgs, ReleasedGenerateArgs> = true;

const CODES = ["A1B2C3", "D4E5F6"];
const PROVIDER = "exports.handler = ...";

/** State exactly as release 0.1.0's `buildOutputs` wrote it, with the provider the host adds. */
function released(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    couponId: "SPRING10",
    codes: CODES,
    generate: null,
    expiresAt: null,
    deletePolicy: "retain",
    maxConcurrentJobs: 25,
    jobTimeoutSeconds: 900,
    secretCodes: true,
    codeCount: 2,
    fingerprint: "f".repeat(64),
    statusCounts: { UNASSIGNED: 2 },
    failedCodes: [],
    failedCount: 0,
    retainedCodes: 3,
    jobIds: ["job-1"],
    expiryRange: null,
    generationSeed: "proj/dev/pool",
    pendingCodes: [],
    adoptedCodes: 1,
    adoptExisting: true,
    __provider: PROVIDER,
    ...overrides,
  };
}

describe("batch inputs (the one declaration)", () => {
  it("derives the check's known keys, the replacing input and the diff's settings", () => {
    assert.deepEqual(batchInputNames(), Object.keys(BATCH_INPUTS));
    assert.deepEqual(replacingBatchInputs(), ["couponId"]);
    assert.deepEqual(batchSettings(), ["deletePolicy", "maxConcurrentJobs", "jobTimeoutSeconds"]);
  });

  describe("batchInputsFrom", () => {
    it("reads checked inputs with their defaults and keeps the serialized provider", () => {
      const inputs = batchInputsFrom({ couponId: "C", codes: CODES, __provider: PROVIDER });
      assert.deepEqual(inputs, {
        couponId: "C",
        codes: CODES,
        deletePolicy: "delete-unassigned",
        maxConcurrentJobs: 25,
        jobTimeoutSeconds: 900,
        __provider: PROVIDER,
      });
    });

    it("reads a generate spec field by field, whatever the stored key order", () => {
      const inputs = batchInputsFrom({ couponId: "C", generate: { prefix: "SP", length: 8, count: 5 } });
      assert.equal(JSON.stringify(inputs.generate), '{"count":5,"length":8,"prefix":"SP"}');
    });

    it("fails on a value of the wrong kind, naming it and never quoting a code", () => {
      assert.throws(
        () => batchInputsFrom({ couponId: "C", codes: ["SECRET1", 42] }),
        (err: Error) => {
          assert.equal(err.message, "CouponCodeBatch inputs: codes[1] must be a string, got a number");
          return true;
        },
      );
      assert.throws(() => batchInputsFrom({ codes: CODES }), /couponId is missing/);
      assert.throws(
        () => batchInputsFrom({ couponId: "C", deletePolicy: "keep" }),
        /deletePolicy must be one of/,
      );
      assert.throws(
        () => batchInputsFrom({ couponId: "C", generate: { count: "5" } }),
        /generate\.count must/,
      );
    });
  });

  describe("batchStateFrom", () => {
    it("reads the state release 0.1.0 wrote, field for field", () => {
      const state = batchStateFrom(released());
      const {
        codeCount: _c,
        fingerprint: _f,
        statusCounts: _s,
        expiryRange: _e,
        __provider: _p,
        ...kept
      } = released();
      // What 0.1.0 did not write reads as unknown stock, nothing expired, nothing added, no pruning.
      const added = { pruneExpired: false, availableCodes: null, expiredCodes: { unassigned: 0, held: 0 } };
      assert.deepEqual(state, { ...kept, ...added, addedCodes: [] });
    });

    it("reads packed codes in inputs and outputs alike", () => {
      const packed = packStrings(CODES);
      assert.deepEqual(batchInputsFrom({ couponId: "C", codes: packed }).codes, CODES);
      assert.deepEqual(
        batchStateFrom(released({ codes: packed, pendingCodes: packStrings(["P1"]) })).codes,
        CODES,
      );
      assert.deepEqual(batchStateFrom(released({ pendingCodes: packStrings(["P1"]) })).pendingCodes, ["P1"]);
    });

    it("reads outputs an earlier state lacks as empty, and settings it lacks as their defaults", () => {
      const early = released();
      for (const key of ["pendingCodes", "adoptedCodes", "adoptExisting", "generationSeed", "failedCodes"]) {
        delete early[key];
      }
      delete early.maxConcurrentJobs;
      const state = batchStateFrom(early);
      assert.deepEqual(
        [
          state.pendingCodes,
          state.adoptedCodes,
          state.adoptExisting,
          state.generationSeed,
          state.failedCodes,
        ],
        [[], 0, true, null, []],
      );
      assert.equal(state.maxConcurrentJobs, 25);
    });

    it("reads the state the current handlers store (codes packed) back to the same values", () => {
      const inputs: BatchInputs = {
        couponId: "C",
        generate: { count: 2, length: 8 },
        expiresAt: "2031-06-30T23:59:59Z",
        deletePolicy: "fail-if-assigned",
        maxConcurrentJobs: 7,
        jobTimeoutSeconds: 60,
        secretCodes: false,
        adoptExisting: false,
      };
      const outs: BatchOutputs = buildOutputs(inputs, CODES, new Map(), new Map([["X1", "refused"]]), {
        secret: "k",
        retainedCodes: 0,
        jobIds: [],
      });
      const stored = JSON.parse(JSON.stringify(storedOutputs(outs)));
      assert.ok(isPacked(stored.codes) && isPacked(stored.pendingCodes));
      const state = batchStateFrom(stored);
      const { codeCount: _c, fingerprint: _f, statusCounts: _s, expiryRange: _e, ...kept } = outs;
      assert.deepEqual(state, kept);
      assert.deepEqual(state.failedCodes, [{ code: "X1", reason: "refused" }]);
    });

    it("fails on damaged state, naming the output and never quoting its value", () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [
          released({ pendingCodes: "SECRET1" }),
          /^CouponCodeBatch state: pendingCodes must be a list of strings, got a string$/,
        ],
        [released({ failedCount: -1 }), /failedCount must be a whole number of at least 0/],
        [
          released({ failedCodes: [{ code: "SECRET1" }] }),
          /failedCodes must be a list of \{ code, reason \}/,
        ],
        [released({ codes: ["SECRET1", null] }), /codes\[1\] is missing/],
        [
          released({ codes: "kcp1:" + "SECRET1".repeat(4) }),
          /^CouponCodeBatch state: codes is a damaged packed list/,
        ],
        [
          released({ pendingCodes: "kcp1:" + "SECRET1".repeat(4) }),
          /^CouponCodeBatch state: pendingCodes is a damaged packed list/,
        ],
        [released({ secretCodes: "yes" }), /secretCodes must be true or false, got a string/],
      ];
      for (const [state, message] of cases) {
        assert.throws(
          () => batchStateFrom(state),
          (err: Error) => {
            assert.match(err.message, message);
            assert.ok(!err.message.includes("SECRET1"), err.message);
            return true;
          },
        );
      }
      assert.throws(() => batchStateFrom(null), /CouponCodeBatch state must be an object, got null/);
    });
  });
});
