/**
 * Conversions between `Coupon` properties (camelCase, Pulumi) and Klaviyo coupon attributes
 * (snake_case, JSON:API), and the reading of stored outputs.
 */
import type { Coupon as ApiCoupon } from "../client";
import { storedOf, type StoredOf } from "../inputs";
import { COUPON_INPUTS, couponInputsFrom } from "./check";

/** The outputs Pulumi stores for a coupon: its inputs as applied (`null` when absent) and its id. */
export interface CouponOutputs extends StoredOf<typeof COUPON_INPUTS> {
  couponId: string;
}

/**
 * Reads the outputs a coupon's state holds. `couponId` is the resource id, which state written by any
 * release agrees with; the inputs must be of their declared kinds.
 */
export function couponOutputsFrom(raw: unknown, id: string): CouponOutputs {
  return { ...storedOf(COUPON_INPUTS, couponInputsFrom(raw, "Coupon state")), couponId: id };
}

/** The Klaviyo attributes that `create` and `update` send for declared inputs. */
export function toCouponAttributes(inputs: {
  description?: string | null;
  lowBalanceThreshold?: number | null;
}): {
  description: string | null;
  monitor_configuration: Record<string, unknown> | null;
} {
  return {
    // Sending null when the user removed the property is what clears it in Klaviyo.
    description: inputs.description ?? null,
    monitor_configuration:
      inputs.lowBalanceThreshold === undefined || inputs.lowBalanceThreshold === null
        ? null
        : { low_balance_threshold: inputs.lowBalanceThreshold },
  };
}

/** Reads the low-balance threshold out of Klaviyo's open `monitor_configuration` object. */
export function thresholdOf(coupon: ApiCoupon): number | null {
  const value = coupon.attributes.monitor_configuration?.low_balance_threshold;
  return typeof value === "number" ? value : null;
}

/** Builds stored outputs from the coupon Klaviyo returned. */
export function toCouponOutputs(coupon: ApiCoupon, adopt: boolean): CouponOutputs {
  return {
    couponId: coupon.id,
    externalId: coupon.attributes.external_id,
    description: coupon.attributes.description ?? null,
    lowBalanceThreshold: thresholdOf(coupon),
    adopt,
  };
}
