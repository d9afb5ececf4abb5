/**
 * The `Coupon` dynamic resource: one Klaviyo coupon (the discount definition that codes belong to).
 *
 * Handler -> Klaviyo calls (implemented in `handlers.ts`):
 * - check, diff: none (diff prints what a replacement does to the codes).
 * - create: POST /api/coupons (plus GET and PATCH /api/coupons/{id} when adopting, and GET
 *           /api/coupons/{id} after a POST whose answer was lost).
 * - read:   GET /api/coupons/{id}.
 * - update: PATCH /api/coupons/{id}.
 * - delete: DELETE /api/coupons/{id}.
 */
import * as pulumi from "@pulumi/pulumi";
import { createProviderShim } from "../shim";
import type { ArgsOf } from "../inputs";
import type { COUPON_INPUTS } from "./check";

/**
 * The provider object behind {@link Coupon}. Pulumi serializes it into state; each method only
 * loads `couponHandlers` at run time, so state stays small and holds no credentials.
 */
export const couponProvider: pulumi.dynamic.ResourceProvider = createProviderShim("couponHandlers");

/** Arguments of a {@link Coupon}. Each field's TSDoc and limits are declared in `check.ts` (`COUPON_INPUTS`). */
// An interface, not an alias, so tooltips and errors name it instead of spelling it out.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CouponArgs extends ArgsOf<typeof COUPON_INPUTS> {}

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
