/**
 * The `Coupon` dynamic resource: one Klaviyo coupon (the discount definition that codes belong to).
 *
 * Handler -> Klaviyo calls (implemented in `handlers.ts`):
 * - check, diff: none.
 * - create: POST /api/coupons (plus GET and PATCH /api/coupons/{id} when adopting, and GET
 *           /api/coupons/{id} after a POST whose answer was lost).
 * - read:   GET /api/coupons/{id}.
 * - update: PATCH /api/coupons/{id}.
 * - delete: DELETE /api/coupons/{id}.
 */
import * as pulumi from "@pulumi/pulumi";
import { createProviderShim } from "../shim";

/**
 * The provider object behind {@link Coupon}. Pulumi serializes it into state; each method only
 * loads `couponHandlers` at run time, so state stays small and holds no credentials.
 */
export const couponProvider: pulumi.dynamic.ResourceProvider = createProviderShim("couponHandlers");

/** Arguments of a {@link Coupon}. */
export interface CouponArgs {
  /**
   * The coupon's id in Klaviyo and in your point-of-sale system (Klaviyo's `external_id`, which
   * is also the coupon's id). 1-64 characters: letters, digits, `_`, `.`, `-`; not `.` or `..` alone.
   * Changing `externalId` replaces the coupon (the old one is deleted first).
   */
  externalId: pulumi.Input<string>;
  /** Free-text description shown in Klaviyo. Updated in place; removing it clears it in Klaviyo. */
  description?: pulumi.Input<string>;
  /**
   * Klaviyo's low-balance alert threshold (`monitor_configuration.low_balance_threshold`): a
   * whole number of remaining codes. Updated in place; removing it clears the configuration.
   */
  lowBalanceThreshold?: pulumi.Input<number>;
  /**
   * Take over a coupon that already exists in Klaviyo with this `externalId` (default false).
   * Dynamic resources cannot be imported with `pulumi import`; adopting is the way to bring an
   * existing coupon under management. Its description and threshold are set to the declared values.
   */
  adopt?: pulumi.Input<boolean>;
}

/** A Klaviyo coupon managed by Pulumi. Deleting it deletes its codes in Klaviyo. */
export class Coupon extends pulumi.dynamic.Resource {
  /**
   * Klaviyo's id of the coupon (equal to `externalId`). Pass it as a batch's `couponId`: it is known
   * in a preview of an in-place update, so the preview shows the batch unchanged.
   */
  public readonly couponId: pulumi.Output<string>;
  /** The external id as applied. */
  public readonly externalId!: pulumi.Output<string>;
  /** The description as applied (`null` when none). */
  public readonly description!: pulumi.Output<string | null>;
  /** The low-balance threshold as applied (`null` when none). */
  public readonly lowBalanceThreshold!: pulumi.Output<number | null>;
  /** Whether the coupon was adopted rather than created. */
  public readonly adopt!: pulumi.Output<boolean>;

  /** Declares a coupon. */
  constructor(name: string, args: CouponArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      couponProvider,
      name,
      {
        couponId: undefined,
        externalId: args.externalId,
        description: args.description,
        lowBalanceThreshold: args.lowBalanceThreshold,
        adopt: args.adopt,
      },
      opts,
      "klaviyo",
      "Coupon",
    );
    // The dynamic-provider host cannot preview, so in a preview the engine reports every output of a
    // coupon being updated in place as unknown, and every batch on it would preview as replaced. The
    // coupon id always equals externalId and can change only when the coupon is created or replaced,
    // exactly when the engine leaves `id` unknown too; for an in-place update `id` is known.
    this.couponId = pulumi.all([this.id, args.externalId]).apply(([, externalId]) => externalId);
  }
}
