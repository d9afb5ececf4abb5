/**
 * Input validation for `CouponCodeBatch` (the `check` handler). Pure: no HTTP call is made, so
 * malformed input never reaches Klaviyo. Every failure names the property, and for codes the
 * index and the offending value.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { checkExternalId } from "./couponCheck";
import { UNKNOWN } from "./values";

/** Characters accepted in a coupon code: letters, digits, `-` and `_`. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Longest accepted coupon code. */
export const CODE_MAX_LENGTH = 64;
/** Most codes one batch may hold. */
export const MAX_CODES = 500_000;
/** Unambiguous default alphabet for generated codes: no 0/O, 1/I/L. */
export const DEFAULT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Accepted delete policies. */
export const DELETE_POLICIES = ["delete-unassigned", "retain", "fail-if-assigned"] as const;
/** Default and bounds of `maxConcurrentJobs` (Klaviyo queues at most 100 jobs per account). */
export const JOB_CONCURRENCY = { default: 25, min: 1, max: 100 };
/** Default and bounds of `jobTimeoutSeconds`. */
export const JOB_TIMEOUT_SECONDS = { default: 900, min: 10, max: 86_400 };
/** Generated code length bounds. */
export const GENERATED_LENGTH = { min: 6, max: 64 };

// Past this many, further failures are summarised: a 100,000-line error helps nobody.
const MAX_REPORTED = 20;

type Failures = CheckFailure[];

function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function checkCodes(codes: unknown, failures: Failures): void {
  if (isUnknown(codes)) return;
  if (!Array.isArray(codes)) {
    failures.push({ property: "codes", reason: `codes must be a list of strings, got ${typeof codes}` });
    return;
  }
  if (codes.length === 0) failures.push({ property: "codes", reason: "codes must not be empty" });
  if (codes.length > MAX_CODES) {
    failures.push({
      property: "codes",
      reason: `codes holds ${codes.length} codes; at most ${MAX_CODES} per batch`,
    });
    return;
  }
  const seen = new Map<string, number>();
  let reported = 0;
  let extra = 0;
  const report = (property: string, reason: string) => {
    if (reported < MAX_REPORTED) {
      failures.push({ property, reason });
      reported++;
    } else extra++;
  };
  codes.forEach((code, i) => {
    const property = `codes[${i}]`;
    if (isUnknown(code)) return;
    if (typeof code !== "string") return report(property, `code must be a string, got ${kindOf(code)}`);
    const problem = codeProblem(code);
    if (problem) return report(property, problem);
    const key = code.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined) {
      return report(property, `duplicates codes[${first}]; codes are compared case-insensitively`);
    }
    seen.set(key, i);
  });
  if (extra > 0) failures.push({ property: "codes", reason: `${extra} more invalid codes not listed` });
}

/**
 * Explains why a single code is invalid, or returns undefined. Never quotes the code: codes are secret,
 * and Pulumi prints check failures in plain text. The offending character alone cannot be part of a
 * valid code, so naming it reveals nothing.
 */
export function codeProblem(code: string): string | undefined {
  if (code.trim() === "") return "is empty or whitespace";
  if (code.length > CODE_MAX_LENGTH) {
    return `is ${code.length} characters long; at most ${CODE_MAX_LENGTH} allowed`;
  }
  if (!CODE_PATTERN.test(code)) {
    const bad = [...code].findIndex((c) => !CODE_PATTERN.test(c));
    return `has ${JSON.stringify(code[bad])} at position ${bad + 1}; a code may contain only letters, digits, "-" and "_"`;
  }
  return undefined;
}

/** The kind of a non-string value, without its content (it may be a code). */
function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

function checkInteger(value: unknown, property: string, min: number, max: number, failures: Failures): void {
  if (value === undefined || isUnknown(value)) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    failures.push({
      property,
      reason: `${property} must be a whole number from ${min} to ${max}, got ${describe(value)}`,
    });
  }
}

function checkGenerate(generate: unknown, failures: Failures): void {
  if (isUnknown(generate)) return;
  if (!generate || typeof generate !== "object" || Array.isArray(generate)) {
    failures.push({
      property: "generate",
      reason: "generate must be an object { count, length, prefix?, alphabet? }",
    });
    return;
  }
  const g = generate as Record<string, unknown>;
  for (const key of Object.keys(g)) {
    if (!["count", "length", "prefix", "alphabet"].includes(key)) {
      failures.push({ property: `generate.${key}`, reason: `unknown property "${key}"` });
    }
  }
  if (g.count === undefined)
    failures.push({ property: "generate.count", reason: "generate.count is required" });
  if (g.length === undefined)
    failures.push({ property: "generate.length", reason: "generate.length is required" });
  checkInteger(g.count, "generate.count", 1, MAX_CODES, failures);
  checkInteger(g.length, "generate.length", GENERATED_LENGTH.min, GENERATED_LENGTH.max, failures);
  const prefix = g.prefix ?? "";
  if (!isUnknown(prefix)) {
    if (typeof prefix !== "string" || (prefix !== "" && !CODE_PATTERN.test(prefix))) {
      failures.push({
        property: "generate.prefix",
        reason: `prefix ${describe(prefix)} may contain only letters, digits, "-" and "_"`,
      });
    } else if (typeof g.length === "number" && prefix.length + g.length > CODE_MAX_LENGTH) {
      failures.push({
        property: "generate.prefix",
        reason: `prefix plus length must be at most ${CODE_MAX_LENGTH} characters`,
      });
    }
  }
  checkAlphabet(g, failures);
}

function checkAlphabet(g: Record<string, unknown>, failures: Failures): void {
  const alphabet = g.alphabet ?? DEFAULT_ALPHABET;
  if (isUnknown(alphabet)) return;
  if (typeof alphabet !== "string" || !CODE_PATTERN.test(alphabet)) {
    failures.push({
      property: "generate.alphabet",
      reason: `alphabet ${describe(alphabet)} may contain only letters, digits, "-" and "_"`,
    });
    return;
  }
  const unique = new Set(alphabet.toUpperCase());
  if (unique.size !== alphabet.length) {
    failures.push({
      property: "generate.alphabet",
      reason: "alphabet must not repeat a character (compared case-insensitively)",
    });
  } else if (alphabet.length < 2) {
    failures.push({ property: "generate.alphabet", reason: "alphabet needs at least 2 characters" });
  } else if (typeof g.count === "number" && typeof g.length === "number") {
    // Demand a code space far larger than the pool so random draws rarely collide and codes stay unguessable.
    const space = Math.pow(alphabet.length, g.length);
    if (space < g.count * 1e6) {
      failures.push({
        property: "generate.length",
        reason: `${alphabet.length}^${g.length} possible codes is too few for ${g.count} unguessable codes; use a longer length`,
      });
    }
  }
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for an ISO 8601 date or date-time that names a real calendar day and time. */
export function isIsoDateTime(value: string): boolean {
  const m = ISO_DATE_TIME.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.parse rolls "02-30" over into March; check the calendar day exists.
  const probe = new Date(Date.UTC(year, month - 1, day));
  const dayOk =
    probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  const hourOk = m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60);
  return dayOk && hourOk;
}

function checkExpiresAt(value: unknown, now: number, failures: Failures): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (typeof value !== "string" || !isIsoDateTime(value)) {
    failures.push({
      property: "expiresAt",
      reason: `expiresAt ${describe(value)} is not an ISO 8601 date-time`,
    });
  } else if (Date.parse(value) <= now) {
    failures.push({ property: "expiresAt", reason: `expiresAt ${value} lies in the past` });
  }
}

const KNOWN_KEYS = [
  "couponId",
  "codes",
  "generate",
  "expiresAt",
  "deletePolicy",
  "maxConcurrentJobs",
  "jobTimeoutSeconds",
  "secretCodes",
  "__provider",
];

/**
 * Validates new batch inputs; returns them normalised (defaults applied, unknowns untouched).
 * `now` is injectable so tests can pin time.
 */
export function checkBatchInputs(
  news: Record<string, unknown>,
  now: number = Date.now(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures: Failures = [];
  failures.push(
    ...checkExternalId(news.couponId).map((f) => ({
      property: "couponId",
      reason: f.reason.replace(/externalId/g, "couponId"),
    })),
  );
  const hasCodes = news.codes !== undefined && news.codes !== null;
  const hasGenerate = news.generate !== undefined && news.generate !== null;
  if (hasCodes === hasGenerate) {
    failures.push({
      property: hasCodes ? "generate" : "codes",
      reason: hasCodes ? "set either codes or generate, not both" : "set exactly one of codes or generate",
    });
  }
  if (hasCodes) checkCodes(news.codes, failures);
  if (hasGenerate) checkGenerate(news.generate, failures);
  checkExpiresAt(news.expiresAt, now, failures);
  const policy = news.deletePolicy ?? "delete-unassigned";
  if (!isUnknown(policy) && !(DELETE_POLICIES as readonly unknown[]).includes(policy)) {
    failures.push({
      property: "deletePolicy",
      reason: `deletePolicy must be one of ${DELETE_POLICIES.join(", ")}, got ${describe(policy)}`,
    });
  }
  checkInteger(
    news.maxConcurrentJobs,
    "maxConcurrentJobs",
    JOB_CONCURRENCY.min,
    JOB_CONCURRENCY.max,
    failures,
  );
  checkInteger(
    news.jobTimeoutSeconds,
    "jobTimeoutSeconds",
    JOB_TIMEOUT_SECONDS.min,
    JOB_TIMEOUT_SECONDS.max,
    failures,
  );
  if (
    news.secretCodes !== undefined &&
    !isUnknown(news.secretCodes) &&
    typeof news.secretCodes !== "boolean"
  ) {
    failures.push({ property: "secretCodes", reason: "secretCodes must be true or false" });
  }
  for (const key of Object.keys(news)) {
    if (!KNOWN_KEYS.includes(key)) failures.push({ property: key, reason: `unknown property "${key}"` });
  }
  const inputs: Record<string, unknown> = {
    couponId: news.couponId,
    deletePolicy: policy,
    maxConcurrentJobs: news.maxConcurrentJobs ?? JOB_CONCURRENCY.default,
    jobTimeoutSeconds: news.jobTimeoutSeconds ?? JOB_TIMEOUT_SECONDS.default,
  };
  if (hasCodes) inputs.codes = news.codes;
  if (hasGenerate) inputs.generate = news.generate;
  if (news.expiresAt !== undefined && news.expiresAt !== null) inputs.expiresAt = news.expiresAt;
  if (news.secretCodes !== undefined) inputs.secretCodes = news.secretCodes;
  // An undefined value would fail the host's protobuf conversion ("Unexpected struct type.").
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { inputs, failures };
}
