/**
 * The `CouponCodeBatch` dynamic resource: a whole pool of unique codes for one coupon.
 *
 * Handler -> Klaviyo calls (implemented in `handlers.ts`):
 * - check, diff: none (check adds `codeChanges`; diff prints what a replacement does).
 * - create: GET /api/coupons/{id}; GET /api/coupon-codes (listing, adopt existing codes);
 *           POST /api/coupon-code-bulk-create-jobs per 1000 codes; GET .../{job_id} to poll;
 *           GET /api/coupon-codes (final listing).
 * - update: PATCH /api/coupon-codes/{id} (expiry); DELETE /api/coupon-codes/{id} (removed codes);
 *           bulk jobs for added codes; GET /api/coupon-codes (final listing).
 * - read:   GET /api/coupons/{id}; GET /api/coupon-codes (listing).
 * - delete: DELETE /api/coupon-codes/{id} per code under the delete policy.
 */
import * as pulumi from "@pulumi/pulumi";
import { createProviderShim } from "../shim";
import type { ArgsOf } from "../inputs";
import {
  batchInputNames,
  type BATCH_INPUTS,
  type BatchInputName,
  type GENERATE_INPUTS,
  type GenerateInputs,
} from "./inputs";
import type { StoredBatchOutputs } from "./outputs";
import { packStrings, readStrings } from "../packedStrings";
import { unpackAddedMask } from "./addedMask";

/**
 * The provider object behind {@link CouponCodeBatch}. Pulumi serializes it into state; each
 * method only loads `batchHandlers` at run time.
 */
export const couponCodeBatchProvider: pulumi.dynamic.ResourceProvider = createProviderShim("batchHandlers");

/**
 * Generated codes: drawn once from a cryptographic random source, then kept in state. Each field's
 * TSDoc and limits are declared in `inputs.ts` (`GENERATE_INPUTS`).
 */
// An interface, not an alias, so tooltips and errors name it instead of spelling it out.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GenerateArgs extends ArgsOf<typeof GENERATE_INPUTS> {}

/**
 * Arguments of a {@link CouponCodeBatch}. Set exactly one of `codes` and `generate`. Each field's
 * TSDoc and limits are declared in `inputs.ts` (`BATCH_INPUTS`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CouponCodeBatchArgs extends ArgsOf<typeof BATCH_INPUTS, { generate: GenerateArgs }> {}

// Outputs that are not inputs: registered as unknown so Pulumi exposes them on the resource.
const OUTPUT_ONLY: Array<Exclude<keyof StoredBatchOutputs, BatchInputName>> = [
  "pendingCodes",
  "adoptedCodes",
  "codeCount",
  "fingerprint",
  "statusCounts",
  "failedCodes",
  "failedCount",
  "retainedCodes",
  "jobIds",
  "expiryRange",
  "availableCodes",
  "expiredCodes",
  "lastApplyAdded",
];

/**
 * A pool of unique Klaviyo coupon codes managed as one resource.
 *
 * `check` adds a computed input, `codeChanges` (`{ added, removed, codeCount, fingerprint, removedTags }`):
 * what the declaration changes against the one applied last, so `pulumi preview --diff` and
 * `klaviyo-coupons review` show it without any code. It never causes an update by itself; in the diff its
 * old side is the change applied last. See "Reviewing changes" in the README.
 */
export class CouponCodeBatch extends pulumi.dynamic.Resource {
  /** The coupon the codes belong to. */
  public readonly couponId!: pulumi.Output<string>;
  /** The declared codes that exist in Klaviyo (secret). */
  public readonly codes!: pulumi.Output<string[]>;
  /** Number of codes in `codes`. */
  public readonly codeCount!: pulumi.Output<number>;
  /**
   * HMAC-SHA256 (hex), keyed with the account's API key, over the sorted codes: shows whether the pool
   * changed without revealing it. A preview shows the proposed pool's one in `codeChanges.fingerprint`.
   */
  public readonly fingerprint!: pulumi.Output<string>;
  /** Codes per Klaviyo status (UNASSIGNED, ASSIGNED_TO_PROFILE, USED, ...) at the last apply or refresh. */
  public readonly statusCounts!: pulumi.Output<Record<string, number>>;
  /** Up to 100 codes that could not be uploaded, with Klaviyo's reason. */
  public readonly failedCodes!: pulumi.Output<Array<{ code: string; reason: string }>>;
  /** Total number of codes that could not be uploaded. */
  public readonly failedCount!: pulumi.Output<number>;
  /** Codes removed from the batch but left in Klaviyo (held by profiles, or deletePolicy retain). */
  public readonly retainedCodes!: pulumi.Output<number>;
  /** Bulk-create job ids of the last apply. */
  public readonly jobIds!: pulumi.Output<string[]>;
  /** Earliest and latest expiry among the codes. */
  public readonly expiryRange!: pulumi.Output<{ earliest: string; latest: string } | null>;
  /** The declared expiry (null: Klaviyo's default). */
  public readonly expiresAt!: pulumi.Output<string | null>;
  /** The delete policy in force. */
  public readonly deletePolicy!: pulumi.Output<string>;
  /** The generate spec as applied (null when the codes are listed). */
  public readonly generate!: pulumi.Output<GenerateInputs | null>;
  /** Bulk jobs kept outstanding at once. */
  public readonly maxConcurrentJobs!: pulumi.Output<number>;
  /** Seconds to wait for one bulk job. */
  public readonly jobTimeoutSeconds!: pulumi.Output<number>;
  /** Whether the codes input is kept secret. */
  public readonly secretCodes!: pulumi.Output<boolean>;
  /** This batch's identity in its stack (keys its generated codes). */
  public readonly generationSeed!: pulumi.Output<string | null>;
  /** Generated codes an unfinished apply drew but has not seen in Klaviyo yet (secret); the next apply finishes them. */
  public readonly pendingCodes!: pulumi.Output<string[]>;
  /**
   * Declared codes that already existed in Klaviyo when the last apply would have created them
   * (uploaded by an interrupted run, by another batch, or outside Pulumi); a warning names the count.
   */
  public readonly adoptedCodes!: pulumi.Output<number>;
  /** Whether declared codes that already exist are adopted (true) or refused (false). */
  public readonly adoptExisting!: pulumi.Output<boolean>;
  /** Whether expired codes no profile holds are deleted on the next update. */
  public readonly pruneExpired!: pulumi.Output<boolean>;
  /**
   * Codes no profile holds, `UNASSIGNED` and unexpired, at the last apply or refresh: what
   * `generate.keepUnassigned` tops the pool up to (null in state written before 0.2).
   */
  public readonly availableCodes!: pulumi.Output<number | null>;
  /** Expired codes at the last apply or refresh: `unassigned` (what `pruneExpired` deletes) and `held`. */
  public readonly expiredCodes!: pulumi.Output<{ unassigned: number; held: number }>;
  /**
   * Which of `codes` the last apply added, as a mask over `codes`; read the codes with
   * {@link addedCodes}.
   */
  public readonly lastApplyAdded!: pulumi.Output<string>;

  /**
   * Declares a batch of codes. The codes travel to the engine and sit in state packed into one
   * compressed string (see docs/sizing.md); `codes` and `pendingCodes` read as lists all the same.
   */
  constructor(name: string, args: CouponCodeBatchArgs, opts?: pulumi.CustomResourceOptions) {
    const secretInput = args.secretCodes !== false && args.codes !== undefined;
    const codes = args.codes === undefined ? undefined : pulumi.output(args.codes).apply(packedForWire);
    super(
      couponCodeBatchProvider,
      name,
      {
        ...Object.fromEntries(batchInputNames().map((input) => [input, args[input]])),
        codes: secretInput ? pulumi.secret(codes) : codes,
        generationSeed: args.generationSeed ?? `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        ...Object.fromEntries(OUTPUT_ONLY.map((output) => [output, undefined])),
      },
      {
        ...opts,
        additionalSecretOutputs: [
          ...(opts?.additionalSecretOutputs ?? []),
          "codes",
          "failedCodes",
          "pendingCodes",
        ],
      },
      "klaviyo",
      "CouponCodeBatch",
    );
    // Registered as the packed strings the provider stores; the program sees the lists.
    const storedCodes: pulumi.Output<unknown> = this.codes;
    const storedPending: pulumi.Output<unknown> = this.pendingCodes;
    this.codes = storedCodes.apply(codeList);
    this.pendingCodes = storedPending.apply(codeList);
  }
}

// A list that cannot be packed (an element is not a code) goes as it is, so check names the element.
function packedForWire(codes: unknown): unknown {
  return Array.isArray(codes) ? (packStrings(codes) ?? codes) : codes;
}

// Outputs as stored: packed, or a list in state written by 0.1 (before `pulumi up` rewrites it).
function codeList(stored: unknown): string[] {
  return readStrings(stored) ?? [];
}

/**
 * The codes the last `pulumi up` added to a batch (uploaded or adopted; generated ones included), secret
 * like `codes`: push the same codes to a shop system in the same program. Empty after an update that
 * added none; an up that changes nothing keeps the previous apply's. Read from `codes` and
 * `lastApplyAdded`, so it costs no request.
 *
 * @example
 * ```ts
 * const added = klaviyo.addedCodes(pool); // Output<string[]>, secret
 * ```
 */
export function addedCodes(batch: CouponCodeBatch): pulumi.Output<string[]> {
  return pulumi
    .all([batch.codes, batch.lastApplyAdded])
    .apply(([codes, mask]) => unpackAddedMask(mask, codes));
}
