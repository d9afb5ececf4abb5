/**
 * Input validation for `Coupon` (the `check` handler). Pure: no HTTP call is ever made here,
 * so bad input never reaches Klaviyo.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "./values";

/** Longest accepted `externalId` (Klaviyo documents no limit; ours keeps ids URL- and code-id-friendly). */
export const EXTERNAL_ID_MAX_LENGTH = 64;
/** Characters accepted in `externalId`. */
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

/** Returns the failures for `externalId`, each naming the property and the reason. */
export function checkExternalId(value: unknown): CheckFailure[] {
  if (isUnknown(value)) return [];
  if (value === undefined || value === null) {
    return [{ property: "externalId", reason: "externalId is required" }];
  }
  if (typeof value !== "string") {
    return [{ property: "externalId", reason: `externalId must be a string, got ${typeof value}` }];
  }
  if (value.length === 0) return [{ property: "externalId", reason: "externalId must not be empty" }];
  if (value.length > EXTERNAL_ID_MAX_LENGTH) {
    return [
      {
        property: "externalId",
        reason: `externalId must be at most ${EXTERNAL_ID_MAX_LENGTH} characters (got ${value.length})`,
      },
    ];
  }
  if (!EXTERNAL_ID_PATTERN.test(value)) {
    return [
      {
        property: "externalId",
        reason: `externalId "${value}" may contain only letters, digits, "_", "." and "-"`,
      },
    ];
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
        reason: `lowBalanceThreshold must be a whole number from 0 to ${THRESHOLD_MAX}, got ${JSON.stringify(value)}`,
      },
    ];
  }
  return [];
}

function checkAdopt(value: unknown): CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value) || typeof value === "boolean") return [];
  return [{ property: "adopt", reason: `adopt must be true or false, got ${JSON.stringify(value)}` }];
}

const KNOWN_KEYS = ["externalId", "description", "lowBalanceThreshold", "adopt", "__provider"];

/**
 * Validates new coupon inputs. Returns normalised inputs (defaults applied, absent values
 * dropped, unknown sentinels passed through untouched) and the failures.
 */
export function checkCouponInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const failures = [
    ...checkExternalId(news.externalId),
    ...checkDescription(news.description),
    ...checkThreshold(news.lowBalanceThreshold),
    ...checkAdopt(news.adopt),
  ];
  for (const key of Object.keys(news)) {
    if (!KNOWN_KEYS.includes(key)) failures.push({ property: key, reason: `unknown property "${key}"` });
  }
  // Absent values are left out: an undefined value would fail the host's protobuf conversion.
  const inputs: Record<string, unknown> = { adopt: news.adopt ?? false };
  if (news.externalId !== undefined && news.externalId !== null) inputs.externalId = news.externalId;
  if (news.description !== undefined && news.description !== null) inputs.description = news.description;
  if (news.lowBalanceThreshold !== undefined && news.lowBalanceThreshold !== null) {
    inputs.lowBalanceThreshold = news.lowBalanceThreshold;
  }
  return { inputs, failures };
}
