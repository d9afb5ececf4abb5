/**
 * The review's view of `pulumi preview --json`: one step per `Coupon` and `CouponCodeBatch` URN, with what
 * the review needs from their old and new state (read by `preview.ts`).
 *
 * @packageDocumentation
 */

/** A value the preview does not know yet (shown as "(known after apply)"). */
export const NOT_KNOWN: unique symbol = Symbol("known after apply");

/** A value of the preview, or {@link NOT_KNOWN}. */
export type Maybe<T> = T | typeof NOT_KNOWN;

/**
 * What a resource undergoes: `create`, `update`, `replace` (also what `create-replacement` and
 * `delete-replaced` fold into), `delete`, `same`, or another engine operation (`read`, `import`, ...),
 * which the review lists without analysing.
 */
export type Action = string;

/** The `codeChanges` input `check` computes (see `provider/batch/codeChanges.ts`); any field may be unknown. */
export interface CodeChangesView {
  /** Codes the declaration gains (null: cannot tell). */
  added: Maybe<number | null>;
  /** Codes the declaration lets go (null: cannot tell). */
  removed: Maybe<number | null>;
  /** Codes declared after the change. */
  codeCount: Maybe<number | null>;
  /** Removed listed codes as concatenated 10-hex-character keyed tags, or null. */
  removedTags: Maybe<string | null>;
}

/** A `Coupon` step. */
export interface CouponStep {
  /** Resource URN (the key steps are folded by). */
  urn: string;
  /** Resource name (last `::` segment of the URN). */
  name: string;
  /** See {@link Action}. */
  action: Action;
  /** Klaviyo coupon id before the change; null when the coupon is created. */
  oldId: string | null;
  /** Klaviyo coupon id after the change (its `externalId`); null when it is deleted. */
  newId: Maybe<string> | null;
  /** `lowBalanceThreshold` after the change (null: none); undefined when the coupon is deleted. */
  threshold: Maybe<number | null> | undefined;
  /** `lowBalanceThreshold` before the change; undefined when created. */
  oldThreshold: number | null | undefined;
  /** Whether an existing Klaviyo coupon is adopted (it may already hold codes). */
  adopt: boolean;
  /** Inputs the engine names as the reason of a replacement. */
  replaceReasons: string[];
}

/** A `CouponCodeBatch` step. */
export interface BatchStep {
  /** Resource URN. */
  urn: string;
  /** Resource name. */
  name: string;
  /** See {@link Action}. */
  action: Action;
  /** Coupon holding the codes before the change; null when the batch is created. */
  oldCoupon: string | null;
  /** Coupon holding the codes after the change; null when the batch is deleted. */
  newCoupon: Maybe<string> | null;
  /** URN of the `Coupon` resource `couponId` comes from, to name an unknown new coupon. */
  couponUrn: string | null;
  /** The new declaration's `codeChanges`; null when absent (a delete, or an older provider). */
  changes: Maybe<CodeChangesView> | null;
  /** Codes the batch held at the last apply or refresh (`codeCount` output). */
  oldCount: number | null;
  /** Held codes (ASSIGNED_TO_PROFILE + USED) at the last apply or refresh (`statusCounts` output). */
  held: number | null;
  /** `deletePolicy` of the stored state (what a delete or replacement applies). */
  oldPolicy: string | null;
  /** `deletePolicy` of the new inputs (what an update's removals apply). */
  newPolicy: Maybe<string> | null;
  /** `expiresAt` before (null: none); undefined when created. */
  oldExpiry: string | null | undefined;
  /** `expiresAt` after (null: none); undefined when deleted. */
  newExpiry: Maybe<string | null> | undefined;
  /** `generate.count` before and after, for generated codes. */
  generated: { old: number | null; new: Maybe<number | null> };
  /**
   * What the stored counts make an update add or delete by themselves: the codes short of
   * `generate.keepUnassigned` (with the `availableCodes` they are short from), and the expired codes no
   * profile holds that `pruneExpired` deletes. Zero when neither applies.
   */
  stock: { replenish: number; keepUnassigned: number | null; available: number | null; prune: number };
}

/** The review's view of a preview. */
export interface Preview {
  /** Stack name, from the URNs. */
  stack: string | null;
  /** Coupon steps, including `same` ones (present with `--show-sames`). */
  coupons: CouponStep[];
  /** Batch steps, including `same` ones. */
  batches: BatchStep[];
}
