/**
 * Input validation for `Coupon` (the `check` handler). Pure: no HTTP call is ever made here,
 * so bad input never reaches Klaviyo.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { echo, own, UNKNOWN, unknownKeyFailures } from "../values";

/** Longest accepted `externalId` (Klaviyo documents no limit; ours keeps ids URL- and code-id-friendly). */
export const EXTERNAL_ID_MAX_LENGTH = 64;
/** Characters accepted in `externalId` (`.` and `..` alone are refused: see {@link checkExternalId}). */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_.-]+$/;
/** Longest accepted `description`. */
export const DESCRIPTION_MAX_LENGTH = 1000;
/** Largest accepted `lowBalanceThreshold`. */
export const THRESHOLD_MAX = 10_000_000;

/** The validated, normalised inputs of a coupon as stored by Pulumi. */
export interface CheckedCouponInputs {
  externalId: string;
  description?: string;
  lowBalanceThreshold?: number;
  adopt: boolean;
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
  const fail = (reason: string): CheckFailure[] => [{ property, reason: `${property} ${reason}` }];
  if (isUnknown(value)) return [];
  if (value === undefined || value === null) return fail("is required");
  if (typeof value !== "string") return fail(`must be a string, got ${typeof value}`);
  if (value.length === 0) return fail("must not be empty");
  if (value.length > EXTERNAL_ID_MAX_LENGTH) {
    return fail(`must be at most ${EXTERNAL_ID_MAX_LENGTH} characters (got ${value.length})`);
  }
  if (!EXTERNAL_ID_PATTERN.test(value)) {
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
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "string") {
    return [{ property: "description", reason: `description must be a string, got ${typeof value}` }];
  }
  if (value.length > DESCRIPTION_MAX_LENGTH) {
    return [
      {
        property: "description",
        reason: `description must be at most ${DESCRIPTION_MAX_LENGTH} characters (got ${value.length})`,
      },
    ];
  }
  return [];
}

function checkThreshold(value: unknown): CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > THRESHOLD_MAX) {
    return [
      {
        property: "lowBalanceThreshold",
        reason: `lowBalanceThreshold must be a whole number from 0 to ${THRESHOLD_MAX}, got ${echo(value)}`,
      },
    ];
  }
  return [];
}

function checkAdopt(value: unknown): CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value) || typeof value === "boolean") return [];
  return [{ property: "adopt", reason: `adopt must be true or false, got ${echo(value)}` }];
}

const KNOWN_KEYS = ["externalId", "description", "lowBalanceThreshold", "adopt", "__provider"];

/**
 * Validates new coupon inputs. Returns normalised inputs (defaults applied, absent values
 * dropped, unknown sentinels passed through untouched) and the failures. Only own properties are
 * read, and echoed values are cut to 64 characters.
 */
export function checkCouponInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const externalId = own(news, "externalId");
  const description = own(news, "description");
  const lowBalanceThreshold = own(news, "lowBalanceThreshold");
  const adopt = own(news, "adopt");
  const failures = [
    ...checkExternalId(externalId),
    ...checkDescription(description),
    ...checkThreshold(lowBalanceThreshold),
    ...checkAdopt(adopt),
    ...unknownKeyFailures(news, KNOWN_KEYS),
  ];
  // Absent values are left out: an undefined value would fail the host's protobuf conversion.
  const inputs: Record<string, unknown> = { adopt: adopt ?? false };
  if (externalId !== undefined && externalId !== null) inputs.externalId = externalId;
  if (description !== undefined && description !== null) inputs.description = description;
  if (lowBalanceThreshold !== undefined && lowBalanceThreshold !== null) {
    inputs.lowBalanceThreshold = lowBalanceThreshold;
  }
  return { inputs, failures };
}
