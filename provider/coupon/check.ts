/**
 * The one declaration of `Coupon`'s inputs, and their validation (the `check` handler). Pure: no HTTP
 * call is ever made here, so bad input never reaches Klaviyo.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { echo, own, UNKNOWN, unknownKeyFailures } from "../values";
import {
  inputNames,
  normalisedInputs,
  readDeclared,
  PROVIDER_KEY,
  type CheckedOf,
  type InputDeclarations,
  type WithProvider,
} from "../inputs";

/**
 * `Coupon`'s inputs. `CouponArgs`, the checked and stored types and `check` follow from it. The TSDoc of
 * each entry is what users read on `CouponArgs`; the limits it names are tested against the entry, and so
 * is the README's reference table.
 */
export const COUPON_INPUTS = {
  /**
   * The coupon's id in Klaviyo and in your point-of-sale system (Klaviyo's `external_id`, which
   * is also the coupon's id). 1-64 characters: letters, digits, `_`, `.`, `-`; not `.` or `..` alone.
   * Changing `externalId` replaces the coupon (the old one is deleted first).
   */
  externalId: {
    kind: "string",
    // Klaviyo documents no limit; ours keeps ids URL- and code-id-friendly.
    minLength: 1,
    maxLength: 64,
    // `.` and `..` alone are refused too: see checkExternalId.
    pattern: /^[A-Za-z0-9_.-]+$/,
    required: true,
    replaces: true,
  },
  /**
   * Free-text description shown in Klaviyo, at most 1,000 characters. Updated in place; removing it
   * clears it in Klaviyo.
   */
  description: { kind: "string", maxLength: 1000 },
  /**
   * Klaviyo's low-balance alert threshold (`monitor_configuration.low_balance_threshold`): a
   * whole number of remaining codes, 0-10,000,000. Updated in place; removing it clears the configuration.
   */
  lowBalanceThreshold: { kind: "integer", min: 0, max: 10_000_000 },
  /**
   * Take over a coupon that already exists in Klaviyo with this `externalId` (default false).
   * Dynamic resources cannot be imported with `pulumi import`; adopting is the way to bring an
   * existing coupon under management. Its description and threshold are set to the declared values.
   */
  adopt: { kind: "boolean", default: false },
} as const satisfies InputDeclarations;

/** The name of an input of `Coupon`. */
export type CouponInputName = keyof typeof COUPON_INPUTS;

/** A coupon's inputs after `check`: what `create` and `update` receive. */
export type CouponInputs = CheckedOf<typeof COUPON_INPUTS>;

/**
 * Reads a coupon's inputs out of what a handler received: checked inputs (create, update) or stored
 * outputs, which repeat them. Fails, naming the property, on a value of the wrong kind.
 */
export function couponInputsFrom(raw: unknown, where = "Coupon inputs"): WithProvider<CouponInputs> {
  return readDeclared(COUPON_INPUTS, raw, where);
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/**
 * Returns the failures for an external id, each naming `property` (`externalId`, or `couponId` when a
 * batch names its coupon) and the reason. `.` and `..` are refused: every later call puts the id in a
 * URL path, where such a segment would address another endpoint.
 */
export function checkExternalId(value: unknown, property = "externalId"): CheckFailure[] {
  const { maxLength, pattern } = COUPON_INPUTS.externalId;
  const fail = (reason: string): CheckFailure[] => [{ property, reason: `${property} ${reason}` }];
  if (isUnknown(value)) return [];
  if (value === undefined || value === null) return fail("is required");
  if (typeof value !== "string") return fail(`must be a string, got ${typeof value}`);
  if (value.length === 0) return fail("must not be empty");
  if (value.length > maxLength) {
    return fail(`must be at most ${maxLength} characters (got ${value.length})`);
  }
  if (!pattern.test(value)) {
    return fail(`${echo(value)} may contain only letters, digits, "_", "." and "-"`);
  }
  if (value === "." || value === "..") {
    return fail(
      `must not be "." or "..": the id goes into URL paths, where such a segment names another endpoint`,
    );
  }
  return [];
}

function checkDescription(value: unknown): CheckFailure[] {
  const { maxLength } = COUPON_INPUTS.description;
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "string") {
    return [{ property: "description", reason: `description must be a string, got ${typeof value}` }];
  }
  if (value.length > maxLength) {
    return [
      {
        property: "description",
        reason: `description must be at most ${maxLength} characters (got ${value.length})`,
      },
    ];
  }
  return [];
}

function checkThreshold(value: unknown): CheckFailure[] {
  const { min, max } = COUPON_INPUTS.lowBalanceThreshold;
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return [
      {
        property: "lowBalanceThreshold",
        reason: `lowBalanceThreshold must be a whole number from ${min} to ${max}, got ${echo(value)}`,
      },
    ];
  }
  return [];
}

function checkAdopt(value: unknown): CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value) || typeof value === "boolean") return [];
  return [{ property: "adopt", reason: `adopt must be true or false, got ${echo(value)}` }];
}

// One check per declared input: declaring an input without its check does not compile.
const CHECKS: { [K in CouponInputName]: (value: unknown) => CheckFailure[] } = {
  externalId: (value) => checkExternalId(value),
  description: checkDescription,
  lowBalanceThreshold: checkThreshold,
  adopt: checkAdopt,
};

/**
 * Validates new coupon inputs. Returns normalised inputs (defaults applied, absent values
 * dropped, unknown sentinels passed through untouched) and the failures. Only own properties are
 * read, and echoed values are cut to 64 characters.
 */
export function checkCouponInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const names = inputNames(COUPON_INPUTS);
  const failures = names.flatMap((name) => CHECKS[name](own(news, name)));
  failures.push(...unknownKeyFailures(news, [...names, PROVIDER_KEY]));
  return { inputs: normalisedInputs(COUPON_INPUTS, news), failures };
}
