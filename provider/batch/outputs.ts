/**
 * The stored state of a `CouponCodeBatch`, how it is built from what Klaviyo reports, and how handlers
 * read it back.
 */
import { fingerprint, inPackingOrder } from "./codes";
import { BATCH_INPUTS, batchInputsFrom, type BatchInputs } from "./inputs";
import { countStatuses, expiryRange, stockCounts } from "./listing";
import { packAddedMask, unpackAddedMask } from "./addedMask";
import type { LiveCode } from "./mappers";
import { kindOf, own } from "../values";
import { isRecord, storedOf, type StoredOf } from "../inputs";
import { packStrings, readStrings } from "../packedStrings";

/** Most failed codes listed in `failedCodes`; `failedCount` has the total. */
const FAILED_CODES_LISTED = 100;

/**
 * Outputs of a batch as Pulumi stores them: its inputs as applied (`null` when absent, with
 * `secretCodes` and `adoptExisting` as booleans), then what the last apply or refresh found.
 */
export interface BatchOutputs extends StoredOf<typeof BATCH_INPUTS> {
  /** Declared codes that exist in Klaviyo (secret). */
  codes: string[];
  codeCount: number;
  fingerprint: string;
  statusCounts: Record<string, number>;
  failedCodes: Array<{ code: string; reason: string }>;
  failedCount: number;
  retainedCodes: number;
  jobIds: string[];
  expiryRange: { earliest: string; latest: string } | null;
  /**
   * Generated codes drawn by an apply that has not seen them in Klaviyo yet (secret): the next apply
   * adopts or uploads exactly these, never new ones, and destroy deletes them too.
   */
  pendingCodes: string[];
  /** Declared codes that already existed in Klaviyo when the last apply would have created them. */
  adoptedCodes: number;
  /**
   * Codes no profile holds, `UNASSIGNED` and unexpired, at the last apply or refresh: what
   * `generate.keepUnassigned` tops up to. Null in state written before it existed.
   */
  availableCodes: number | null;
  /** Expired codes at the last apply or refresh: those no profile holds and those a profile holds. */
  expiredCodes: { unassigned: number; held: number };
  /** The codes of `codes` the last apply added (stored as a mask over `codes`, see `addedMask.ts`). */
  addedCodes: readonly string[];
}

/** Builds outputs from the declared inputs, the codes known to exist, and the failures. */
export function buildOutputs(
  inputs: BatchInputs,
  existing: string[],
  live: Map<string, LiveCode>,
  failures: Map<string, string>,
  extra: {
    retainedCodes: number;
    jobIds: string[];
    pendingCodes?: string[];
    secret: string;
    adoptedCodes?: number;
    /** Codes of `existing` this apply added; none for a refresh, which carries the last apply's. */
    addedCodes?: readonly string[];
  },
): BatchOutputs {
  const stock = stockCounts(existing, live, Date.now());
  const failedCodes: BatchOutputs["failedCodes"] = [];
  for (const [code, reason] of failures) {
    if (failedCodes.length >= FAILED_CODES_LISTED) break;
    failedCodes.push({ code, reason });
  }
  return {
    ...storedOf(BATCH_INPUTS, inputs),
    codes: existing,
    codeCount: existing.length,
    fingerprint: fingerprint(existing, extra.secret),
    statusCounts: countStatuses(existing, live),
    failedCodes,
    failedCount: failures.size,
    retainedCodes: extra.retainedCodes,
    jobIds: extra.jobIds,
    expiryRange: expiryRange(existing, live),
    pendingCodes: extra.pendingCodes ?? [],
    adoptedCodes: extra.adoptedCodes ?? 0,
    availableCodes: stock.available,
    expiredCodes: { unassigned: stock.expiredUnassigned, held: stock.expiredHeld },
    addedCodes: extra.addedCodes ?? [],
  };
}

/**
 * Outputs in the form handlers return them and Pulumi stores them: the code lists packed into one
 * string each (`packedStrings.ts`), so 100,000 codes cross the wire and sit in state as one value.
 * The `CouponCodeBatch` class unpacks them again for the program.
 */
export type StoredBatchOutputs = Omit<BatchOutputs, "codes" | "pendingCodes" | "addedCodes"> & {
  codes: string;
  pendingCodes: string;
  /** Which of `codes` the last apply added (`addedMask.ts`); `addedCodes()` reads it in a program. */
  lastApplyAdded: string;
};

/** Packs the code lists of `outs` for returning to Pulumi. */
export function storedOutputs(outs: BatchOutputs): StoredBatchOutputs {
  const codes = outs.generate === null ? inPackingOrder(outs.codes) : outs.codes;
  const { addedCodes, ...rest } = outs;
  return {
    ...rest,
    codes: packCodes(codes),
    pendingCodes: packCodes(outs.pendingCodes),
    lastApplyAdded: packAddedMask(codes, addedCodes),
  };
}

function packCodes(codes: readonly string[]): string {
  const packed = packStrings(codes);
  // Codes that reach the outputs passed check or were generated: printable ASCII, at most 64 long.
  if (packed === undefined) throw new Error("CouponCodeBatch outputs: a code cannot be packed");
  return packed;
}

/**
 * What handlers read back from a batch's state: the inputs as applied and the outputs an apply carries
 * forward. Counts, statuses, the fingerprint and the expiry range are left out: every apply and refresh
 * computes them afresh.
 */
export type BatchState = Omit<BatchOutputs, "codeCount" | "fingerprint" | "statusCounts" | "expiryRange">;

/**
 * Reads a batch's state (`olds` of diff and update, `props` of read and delete). Outputs an earlier
 * release did not write read as empty (no pending codes, nothing adopted, ...), as docs/upgrading.md
 * promises; a value of the wrong kind fails, naming the property, never quoting a value (it may be a code).
 */
export function batchStateFrom(raw: unknown): BatchState {
  return batchStateAndInputsFrom(raw).state;
}

/**
 * {@link batchStateFrom}, and the inputs as applied in their checked form (what `read` rebuilds the
 * outputs from). The stored codes are unpacked once for both: outputs and inputs share the `codes` key.
 */
export function batchStateAndInputsFrom(raw: unknown): { state: BatchState; inputs: BatchInputs } {
  const where = "CouponCodeBatch state";
  if (!isRecord(raw)) throw new Error(`${where} must be an object, got ${kindOf(raw)}`);
  const read = stateReader(raw, where);
  const inputs = batchInputsFrom(raw, where);
  const state: BatchState = {
    ...storedOf(BATCH_INPUTS, inputs),
    codes: inputs.codes ?? [],
    failedCodes: read.failedCodes(),
    failedCount: read.count("failedCount"),
    retainedCodes: read.count("retainedCodes"),
    jobIds: read.strings("jobIds"),
    pendingCodes: read.strings("pendingCodes"),
    adoptedCodes: read.count("adoptedCodes"),
    availableCodes: own(raw, "availableCodes") === undefined ? null : read.count("availableCodes"),
    expiredCodes: read.expiredCodes(),
    addedCodes: unpackAddedMask(own(raw, "lastApplyAdded"), inputs.codes ?? []),
  };
  return { state, inputs };
}

/**
 * The expiry range the last apply or refresh stored, read only as a hint for refresh's partitioned
 * listing (`partitionedListing.ts`): null when absent or not two strings. It never fails: a missing or
 * damaged hint costs the single walk, never a refresh.
 */
export function storedExpiryRange(raw: unknown): { earliest: string; latest: string } | null {
  const range = isRecord(raw) ? own(raw, "expiryRange") : undefined;
  if (!isRecord(range)) return null;
  const earliest = own(range, "earliest");
  const latest = own(range, "latest");
  return typeof earliest === "string" && typeof latest === "string" ? { earliest, latest } : null;
}

// Readers of the outputs that are not inputs; an absent (or null) one reads as empty.
function stateReader(props: Record<string, unknown>, where: string) {
  const fail = (name: string, expected: string, value: unknown) =>
    new Error(`${where}: ${name} must be ${expected}, got ${kindOf(value)}`);
  return {
    // Packed since 0.2 (see storedOutputs); a list as 0.1 wrote it still reads, and the next apply packs it.
    strings(name: string): string[] {
      const value = own(props, name) ?? [];
      let strings: string[] | undefined;
      try {
        strings = readStrings(value);
      } catch (err) {
        throw new Error(`${where}: ${name} ${err instanceof Error ? err.message : String(err)}`);
      }
      if (strings === undefined) throw fail(name, "a list of strings", value);
      return strings;
    },
    count(name: string): number {
      const value = own(props, name) ?? 0;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
        throw fail(name, "a whole number of at least 0", value);
      return value;
    },
    expiredCodes(): BatchOutputs["expiredCodes"] {
      const value = own(props, "expiredCodes") ?? { unassigned: 0, held: 0 };
      const unassigned = isRecord(value) ? own(value, "unassigned") : undefined;
      const held = isRecord(value) ? own(value, "held") : undefined;
      if (typeof unassigned !== "number" || typeof held !== "number")
        throw fail("expiredCodes", "{ unassigned, held }", value);
      return { unassigned, held };
    },
    failedCodes(): BatchOutputs["failedCodes"] {
      const value = own(props, "failedCodes") ?? [];
      const isFailure = (f: unknown) =>
        typeof f === "object" &&
        f !== null &&
        typeof own(f, "code") === "string" &&
        typeof own(f, "reason") === "string";
      if (!Array.isArray(value) || !value.every(isFailure))
        throw fail("failedCodes", "a list of { code, reason }", value);
      return value;
    },
  };
}
