/**
 * The Pulumi form of the availability query: an `Output` a program can export, or use to fail a
 * preview when a coupon is running out of codes.
 *
 * It runs in the program (not in the dynamic-provider host), so nothing here is serialized into state;
 * it reads the same settings as the provider: stack config `klaviyo:apiKey` / `klaviyo:baseUrl` /
 * `klaviyo:revision`, falling back to `KLAVIYO_API_KEY` / `KLAVIYO_BASE_URL` / `KLAVIYO_REVISION`.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import { createKlaviyoClient, type CouponCodeStatus, type KlaviyoClient } from "../client";
import {
  checkMinUnassigned,
  getCouponCodeAvailability,
  lowStockMessage,
  type CouponCodeAvailability,
} from "./counting";
import { normalizeAvailabilityQuery } from "./query";
import { resolveClientSettings } from "../settings";

/** Arguments of {@link couponCodeAvailability}. */
export interface CouponCodeAvailabilityArgs {
  /**
   * The coupon to count. Pass a `Coupon`'s `couponId` output when the coupon is declared in the same
   * program: the query then waits for the coupon (and is skipped in a preview that creates it).
   */
  couponId: pulumi.Input<string>;
  /** Count only codes with this status. */
  status?: pulumi.Input<CouponCodeStatus | string>;
  /** Only codes expiring at or after this instant (inclusive); ISO 8601 with offset, or `YYYY-MM-DD`. */
  expiresAfter?: pulumi.Input<string>;
  /** Only codes expiring strictly before this instant (exclusive); same formats. */
  expiresBefore?: pulumi.Input<string>;
  /** Also return the codes; the Output is then marked secret, as `CouponCodeBatch` marks codes. */
  includeCodes?: boolean;
  /**
   * Fail (reject the Output, which fails `pulumi preview` and `pulumi up`) when fewer unassigned codes
   * match. Cannot be combined with a `status` other than `UNASSIGNED`.
   */
  minUnassigned?: pulumi.Input<number>;
}

/**
 * Builds a client from the program's stack configuration (namespace `klaviyo`) and the environment.
 *
 * @param env - Environment for the fallbacks.
 * @throws Error naming both ways to supply a key when none is set, or the setting holding an invalid value.
 */
export function clientFromStackConfig(env: NodeJS.ProcessEnv = process.env): KlaviyoClient {
  const config = new pulumi.Config("klaviyo");
  const prefix = "klaviyo:";
  const settings = resolveClientSettings({
    config: { get: (key) => (key.startsWith(prefix) ? config.get(key.slice(prefix.length)) : undefined) },
    env,
    keyHint: "stack",
  });
  if (!settings.ok) throw new Error(settings.message);
  return createKlaviyoClient(settings.options);
}

/**
 * Counts a coupon's codes from a Pulumi program (see `getCouponCodeAvailability` for the counting).
 *
 * @example
 * ```ts
 * // Fails the preview when fewer than 500 codes valid past June remain unassigned.
 * export const spring = couponCodeAvailability({
 *   couponId: coupon.couponId,
 *   expiresAfter: "2026-06-01",
 *   minUnassigned: 500,
 * });
 * ```
 *
 * @param args - Coupon, filters and optional threshold.
 * @returns The availability; rejects with `Coupon "<id>" has <n> unassigned codes ..., below the
 *   minimum of <min>.` when stock is low, or with the client's one-line message when a call fails.
 */
export function couponCodeAvailability(
  args: CouponCodeAvailabilityArgs,
): pulumi.Output<CouponCodeAvailability> {
  const result = pulumi
    .all([args.couponId, args.status, args.expiresAfter, args.expiresBefore, args.minUnassigned])
    .apply(async ([couponId, status, expiresAfter, expiresBefore, minUnassigned]) => {
      const query = normalizeAvailabilityQuery({
        couponId,
        status,
        expiresAfter,
        expiresBefore,
        includeCodes: args.includeCodes === true,
      });
      const min =
        minUnassigned === undefined || minUnassigned === null
          ? undefined
          : checkMinUnassigned("minUnassigned", minUnassigned);
      if (min !== undefined && query.status !== null && query.status !== "UNASSIGNED") {
        throw new TypeError(`minUnassigned cannot be combined with status ${query.status}`);
      }
      let availability: CouponCodeAvailability;
      try {
        availability = await getCouponCodeAvailability(query, clientFromStackConfig());
      } catch (e) {
        // Name the coupon: a program may query several. Client messages never contain the key.
        throw new Error(`couponCodeAvailability("${query.couponId}"): ${(e as Error).message}`);
      }
      const low = min === undefined ? null : lowStockMessage(availability, min);
      if (low !== null) throw new Error(`${low} (minUnassigned)`);
      return availability;
    });
  return args.includeCodes === true ? pulumi.secret(result) : result;
}
