/**
 * The one declaration of `CouponCodeBatch`'s inputs: names, kinds, limits, defaults, which replace the
 * batch and which are settings. The rest follows from it: the public `CouponCodeBatchArgs` and
 * `GenerateArgs` and the constructor's properties (`resource.ts`), the checked inputs handlers use
 * ({@link BatchInputs}), the stored state (`BatchOutputs` in `outputs.ts`), `check`'s known keys and
 * limits, {@link DeletePolicy}, and the settings and replacing inputs `diff` compares.
 *
 * The TSDoc of each entry is what users read on `CouponCodeBatchArgs`; the limits it names are tested
 * against the entry, and so is the README's reference table (tests/unit/provider/referenceTables.spec.ts).
 * Plain data and types only: these declarations are part of the public `.d.ts`, which must not name zod.
 */
import { COUPON_INPUTS } from "../coupon/check";
import {
  inputNames,
  inputsWith,
  readDeclared,
  type CheckedOf,
  type InputDeclarations,
  type WithProvider,
} from "../inputs";

/** Characters of a code, of a generated code's prefix and of an alphabet: letters, digits, `-`, `_`. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Longest coupon code, prefix included. */
const CODE_MAX_LENGTH = 64;
/** Most codes one batch may hold, listed or generated. */
const MAX_CODES = 500_000;
/** Unambiguous default alphabet for generated codes: no 0/O, 1/I/L. */
export const DEFAULT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** How many times larger than `count` the space of generated codes must be, so codes stay unguessable. */
export const CODE_SPACE_FACTOR = 1_000_000;
/** What happens to codes a batch lets go of; the first is the default. */
export const DELETE_POLICIES = ["delete-unassigned", "retain", "fail-if-assigned"] as const;
/** One of {@link DELETE_POLICIES}. */
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

/** The fields of the `generate` input. */
export const GENERATE_INPUTS = {
  /** How many codes (1-500,000). Raising it adds codes; lowering it removes the newest ones. */
  count: { kind: "integer", min: 1, max: MAX_CODES, required: true },
  /**
   * Random characters per code (6-64), not counting the prefix; prefix and random part together at most
   * 64 characters.
   */
  length: { kind: "integer", min: 6, max: CODE_MAX_LENGTH, required: true },
  /** Fixed text before the random part (letters, digits, `-`, `_`). */
  prefix: { kind: "string", pattern: CODE_PATTERN },
  /**
   * Characters to draw from (letters, digits, `-`, `_`; at least 2 characters, none repeated, compared
   * case-insensitively); default `23456789ABCDEFGHJKMNPQRSTUVWXYZ` (no 0/O/1/I/L).
   */
  alphabet: { kind: "string", minLength: 2, pattern: CODE_PATTERN, unsetMeans: DEFAULT_ALPHABET },
  /**
   * A stock target (1-500,000): whenever the last refresh or apply saw fewer unassigned, unexpired codes
   * than this, the next `pulumi up` generates and uploads the difference; codes profiles hold stay in the
   * batch. `count` is then the pool's least size: the pool grows past it and lowering `count` removes
   * nothing. Run `pulumi up --refresh` on a schedule to keep the pool topped up.
   */
  keepUnassigned: { kind: "integer", min: 1, max: MAX_CODES },
} as const satisfies InputDeclarations;

/** `CouponCodeBatch`'s inputs, in the order `check` reports on them. */
export const BATCH_INPUTS = {
  /**
   * The coupon the codes belong to (usually `coupon.couponId`): a coupon's `externalId`, so 1-64
   * characters of letters, digits, `_`, `.`, `-`. Changing it replaces the batch.
   */
  couponId: { ...COUPON_INPUTS.externalId, required: true, replaces: true },
  /**
   * The codes, e.g. read from a CSV: at most 500,000, each 1-64 characters of letters, digits, `-`, `_`;
   * no duplicates (compared case-insensitively). Secret in state unless `secretCodes` is false.
   */
  codes: {
    kind: "list",
    minItems: 1,
    maxItems: MAX_CODES,
    item: { kind: "string", minLength: 1, maxLength: CODE_MAX_LENGTH, pattern: CODE_PATTERN },
    packed: true,
  },
  /** Let the provider generate the codes instead of listing them. */
  generate: { kind: "object", fields: GENERATE_INPUTS },
  /**
   * Expiry of every code: an RFC 3339 date-time with seconds and an offset, in the future
   * (`2031-06-30T23:59:59Z`, `2031-06-30T23:59:59+02:00`). A change patches the codes in place. When
   * omitted, Klaviyo's default (one year after each code's creation) applies.
   */
  expiresAt: { kind: "string", format: "date-time" },
  /**
   * What happens to codes removed from the program or destroyed with the batch:
   * `delete-unassigned` (default: delete, but keep and report codes a profile holds),
   * `retain` (never delete in Klaviyo), `fail-if-assigned` (fail, deleting nothing, if any is held).
   */
  deletePolicy: { kind: "choice", values: DELETE_POLICIES, default: DELETE_POLICIES[0], setting: true },
  /** Bulk jobs kept outstanding at once (1-100, default 25; Klaviyo queues at most 100 per account). */
  maxConcurrentJobs: { kind: "integer", min: 1, max: 100, default: 25, setting: true },
  /** Seconds to wait for one bulk job before verifying its codes by listing (10-86,400, default 900). */
  jobTimeoutSeconds: { kind: "integer", min: 10, max: 86_400, default: 900, setting: true },
  /**
   * Set to false (default true) to keep the `codes` input out of Pulumi's secret handling (the output
   * stays secret).
   */
  secretCodes: { kind: "boolean", plain: true, unsetMeans: true },
  /**
   * This batch's identity in its stack, 1-400 characters (default `<project>/<stack>/<resource name>`).
   * Generated codes are derived from it, the coupon and the account's API key, so a run repeated after a
   * failure uploads the same codes, never a second set; it also tells this batch's codes from another
   * batch's when they share codes. Changing it (or the API key) affects only codes generated from
   * then on.
   */
  generationSeed: { kind: "string", minLength: 1, maxLength: 400 },
  /**
   * Default false. True: expired codes no profile holds are deleted in Klaviyo and leave the batch on the
   * next update (generated codes are drawn again up to `count` or `keepUnassigned`); expired codes a
   * profile holds are only reported. Needs `generate`: a listed code leaves the batch when it leaves the
   * list. The apply lists the coupon's codes first to find them.
   */
  pruneExpired: { kind: "boolean", unsetMeans: false },
  /**
   * Default true: declared codes that already exist on the coupon are adopted (and counted in
   * `adoptedCodes`), which is how a run repeated after a failure finishes without duplicates. False
   * refuses them, changing nothing, so no batch silently takes over another's codes; a run repeated
   * after an interrupted upload then needs it set to true once.
   */
  adoptExisting: { kind: "boolean", unsetMeans: true },
} as const satisfies InputDeclarations;

/** The name of an input of `CouponCodeBatch`. */
export type BatchInputName = keyof typeof BATCH_INPUTS;

/** A batch's inputs after `check`: what `create` and `update` receive. */
export type BatchInputs = CheckedOf<typeof BATCH_INPUTS>;

/** The `generate` input after `check`. */
export type GenerateInputs = CheckedOf<typeof GENERATE_INPUTS>;

/** Every input's name, in declaration order (the keys `check` knows, besides `__provider`). */
export function batchInputNames(): BatchInputName[] {
  return inputNames(BATCH_INPUTS);
}

/** The inputs whose change replaces the batch. */
export function replacingBatchInputs(): BatchInputName[] {
  return inputsWith(BATCH_INPUTS, "replaces");
}

/** The settings `diff` compares as they are (their change updates in place). */
export function batchSettings(): BatchInputName[] {
  return inputsWith(BATCH_INPUTS, "setting");
}

/**
 * Reads a batch's inputs out of what a handler received: checked inputs (create, update, a diff's
 * `news`) or stored outputs, which repeat them. Fails, naming the property but never quoting a value,
 * on a value of the wrong kind.
 */
export function batchInputsFrom(raw: unknown, where = "CouponCodeBatch inputs"): WithProvider<BatchInputs> {
  return readDeclared(BATCH_INPUTS, raw, where);
}
