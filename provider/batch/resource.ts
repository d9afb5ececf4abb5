/**
 * The `CouponCodeBatch` dynamic resource: a whole pool of unique codes for one coupon.
 *
 * Handler -> Klaviyo calls (implemented in `handlers.ts`):
 * - check, diff: none.
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

/**
 * The provider object behind {@link CouponCodeBatch}. Pulumi serializes it into state; each
 * method only loads `batchHandlers` at run time.
 */
export const couponCodeBatchProvider: pulumi.dynamic.ResourceProvider = createProviderShim("batchHandlers");

/** Generated codes: drawn once from a cryptographic random source, then kept in state. */
export interface GenerateArgs {
  /** How many codes (1-500,000). Raising it adds codes; lowering it removes the newest ones. */
  count: pulumi.Input<number>;
  /** Random characters per code (6-64), not counting the prefix. */
  length: pulumi.Input<number>;
  /** Fixed text before the random part (letters, digits, `-`, `_`). */
  prefix?: pulumi.Input<string>;
  /** Characters to draw from; default `23456789ABCDEFGHJKMNPQRSTUVWXYZ` (no 0/O/1/I/L). */
  alphabet?: pulumi.Input<string>;
}

/** Arguments of a {@link CouponCodeBatch}. Set exactly one of `codes` and `generate`. */
export interface CouponCodeBatchArgs {
  /** The coupon the codes belong to (usually `coupon.couponId`). Changing it replaces the batch. */
  couponId: pulumi.Input<string>;
  /**
   * The codes, e.g. read from a CSV. 1-64 characters each: letters, digits, `-`, `_`; no
   * duplicates (compared case-insensitively). Secret in state unless `secretCodes` is false.
   */
  codes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Let the provider generate the codes instead of listing them. */
  generate?: pulumi.Input<GenerateArgs>;
  /**
   * Expiry of every code: an RFC 3339 date-time with seconds and an offset, in the future
   * (`2031-06-30T23:59:59Z`, `2031-06-30T23:59:59+02:00`). A change patches the codes in place. When
   * omitted, Klaviyo's default (one year after each code's creation) applies.
   */
  expiresAt?: pulumi.Input<string>;
  /**
   * What happens to codes removed from the program or destroyed with the batch:
   * `delete-unassigned` (default: delete, but keep and report codes a profile holds),
   * `retain` (never delete in Klaviyo), `fail-if-assigned` (fail, deleting nothing, if any is held).
   */
  deletePolicy?: pulumi.Input<"delete-unassigned" | "retain" | "fail-if-assigned">;
  /** Bulk jobs kept outstanding at once (1-100, default 25; Klaviyo queues at most 100 per account). */
  maxConcurrentJobs?: pulumi.Input<number>;
  /** Seconds to wait for one bulk job before verifying its codes by listing (default 900). */
  jobTimeoutSeconds?: pulumi.Input<number>;
  /** Set to false to keep the `codes` input out of Pulumi's secret handling (the output stays secret). */
  secretCodes?: boolean;
  /**
   * This batch's identity in its stack (default `<project>/<stack>/<resource name>`). Generated
   * codes are derived from it, the coupon and the account's API key, so a run repeated after a
   * failure uploads the same codes, never a second set; it also tells this batch's codes from another
   * batch's when they share codes. Changing it (or the API key) affects only codes generated from
   * then on.
   */
  generationSeed?: pulumi.Input<string>;
  /**
   * Default true: declared codes that already exist on the coupon are adopted (and counted in
   * `adoptedCodes`), which is how a run repeated after a failure finishes without duplicates. False
   * refuses them, changing nothing, so no batch silently takes over another's codes; a run repeated
   * after an interrupted upload then needs it set to true once.
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** A pool of unique Klaviyo coupon codes managed as one resource. */
export class CouponCodeBatch extends pulumi.dynamic.Resource {
  /** The coupon the codes belong to. */
  public readonly couponId!: pulumi.Output<string>;
  /** The declared codes that exist in Klaviyo (secret). */
  public readonly codes!: pulumi.Output<string[]>;
  /** Number of codes in `codes`. */
  public readonly codeCount!: pulumi.Output<number>;
  /** sha256 (hex) over the sorted codes: shows whether the pool changed without revealing it. */
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
  public readonly generate!: pulumi.Output<{
    count: number;
    length: number;
    prefix?: string;
    alphabet?: string;
  } | null>;
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

  /** Declares a batch of codes. */
  constructor(name: string, args: CouponCodeBatchArgs, opts?: pulumi.CustomResourceOptions) {
    const secretInput = args.secretCodes !== false && args.codes !== undefined;
    super(
      couponCodeBatchProvider,
      name,
      {
        couponId: args.couponId,
        codes: secretInput ? pulumi.secret(args.codes) : args.codes,
        generate: args.generate,
        expiresAt: args.expiresAt,
        deletePolicy: args.deletePolicy,
        maxConcurrentJobs: args.maxConcurrentJobs,
        jobTimeoutSeconds: args.jobTimeoutSeconds,
        secretCodes: args.secretCodes,
        generationSeed: args.generationSeed ?? `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        adoptExisting: args.adoptExisting,
        pendingCodes: undefined,
        adoptedCodes: undefined,
        codeCount: undefined,
        fingerprint: undefined,
        statusCounts: undefined,
        failedCodes: undefined,
        failedCount: undefined,
        retainedCodes: undefined,
        jobIds: undefined,
        expiryRange: undefined,
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
  }
}
