/**
 * Input validation for `CouponCodeBatch` (the `check` handler). Pure: no HTTP call is made, so
 * malformed input never reaches Klaviyo. Every failure names the property; codes are named by
 * index and offending character, never quoted; other echoed values are cut to 64 characters.
 * Only own properties are read (see `own` in `values.ts`).
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { checkExternalId } from "../coupon/check";
import { echo, own, rfc3339Instant, UNKNOWN, unknownKeyFailures } from "../values";

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
  if (!CODE_PATTERN.test(code))
    return `${badCharacter(code)}; a code may contain only letters, digits, "-" and "_"`;
  return undefined;
}

/** Names the first character outside {@link CODE_PATTERN} and its position, never the text around it. */
function badCharacter(text: string): string {
  const chars = [...text];
  const bad = chars.findIndex((c) => !CODE_PATTERN.test(c));
  return `has ${JSON.stringify(chars[bad])} at position ${bad + 1}`;
}

/** True for a prefix or alphabet made of code characters only (or empty). */
function isCodeText(value: unknown): value is string {
  return typeof value === "string" && (value === "" || CODE_PATTERN.test(value));
}

/** Why a prefix or alphabet is not {@link isCodeText}, quoting neither (they are parts of codes). */
function codeTextProblem(value: unknown, name: string): string {
  return typeof value === "string"
    ? `${name} ${badCharacter(value)}; it may contain only letters, digits, "-" and "_"`
    : `${name} must be a string, got ${kindOf(value)}`;
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
      reason: `${property} must be a whole number from ${min} to ${max}, got ${echo(value)}`,
    });
  }
}

const GENERATE_KEYS = ["count", "length", "prefix", "alphabet"];

function checkGenerate(generate: unknown, failures: Failures): void {
  if (isUnknown(generate)) return;
  if (!generate || typeof generate !== "object" || Array.isArray(generate)) {
    failures.push({
      property: "generate",
      reason: "generate must be an object { count, length, prefix?, alphabet? }",
    });
    return;
  }
  const g = Object.fromEntries(GENERATE_KEYS.map((key) => [key, own(generate, key)]));
  failures.push(...unknownKeyFailures(generate, GENERATE_KEYS, "generate."));
  if (g.count === undefined)
    failures.push({ property: "generate.count", reason: "generate.count is required" });
  if (g.length === undefined)
    failures.push({ property: "generate.length", reason: "generate.length is required" });
  checkInteger(g.count, "generate.count", 1, MAX_CODES, failures);
  checkInteger(g.length, "generate.length", GENERATED_LENGTH.min, GENERATED_LENGTH.max, failures);
  const prefix = g.prefix ?? "";
  if (!isUnknown(prefix)) {
    if (!isCodeText(prefix))
      failures.push({ property: "generate.prefix", reason: codeTextProblem(prefix, "prefix") });
    else if (typeof g.length === "number" && prefix.length + g.length > CODE_MAX_LENGTH) {
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
  if (!isCodeText(alphabet)) {
    failures.push({ property: "generate.alphabet", reason: codeTextProblem(alphabet, "alphabet") });
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

/** The form `expiresAt` must take, as check failures state it. */
export const EXPIRES_AT_FORM =
  "an RFC 3339 date-time with an offset, such as 2031-06-30T23:59:59Z or 2031-06-30T23:59:59+02:00 " +
  "(seconds required; offset Z or ±hh:mm)";

// Klaviyo refuses every code whose expiry is not RFC 3339 with an offset; the value is sent unchanged.
function checkExpiresAt(value: unknown, now: number, failures: Failures): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  const instant = typeof value === "string" ? rfc3339Instant(value) : undefined;
  if (instant === undefined) {
    failures.push({
      property: "expiresAt",
      reason: `expiresAt must be ${EXPIRES_AT_FORM}, got ${echo(value)}`,
    });
  } else if (instant <= now) {
    failures.push({ property: "expiresAt", reason: `expiresAt ${echo(value)} lies in the past` });
  }
}

/** Longest `generationSeed`: it names a project, a stack and a resource. */
const MAX_SEED_LENGTH = 400;

function checkGenerationSeed(seed: unknown, failures: Failures): void {
  if (seed === undefined || seed === null || isUnknown(seed)) return;
  if (typeof seed !== "string" || seed.length === 0 || seed.length > MAX_SEED_LENGTH) {
    failures.push({
      property: "generationSeed",
      reason: `generationSeed must be a string of 1 to ${MAX_SEED_LENGTH} characters`,
    });
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
  "generationSeed",
  "adoptExisting",
  "__provider",
];

/**
 * Validates new batch inputs; returns them normalised (defaults applied, unknowns untouched).
 * `expiresAt` is returned as given, never rewritten, so state written by earlier versions still
 * compares equal. `now` is injectable so tests can pin time.
 */
export function checkBatchInputs(
  decoded: Record<string, unknown>,
  now: number = Date.now(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  // Own properties only: a decoded "__proto__" key must not supply codes or settings.
  const news = Object.fromEntries(KNOWN_KEYS.map((key) => [key, own(decoded, key)]));
  const failures: Failures = checkExternalId(news.couponId, "couponId");
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
      reason: `deletePolicy must be one of ${DELETE_POLICIES.join(", ")}, got ${echo(policy)}`,
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
  checkGenerationSeed(news.generationSeed, failures);
  if (
    news.adoptExisting !== undefined &&
    !isUnknown(news.adoptExisting) &&
    typeof news.adoptExisting !== "boolean"
  ) {
    failures.push({ property: "adoptExisting", reason: "adoptExisting must be true or false" });
  }
  failures.push(...unknownKeyFailures(decoded, KNOWN_KEYS));
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
  if (news.adoptExisting !== undefined && news.adoptExisting !== null)
    inputs.adoptExisting = news.adoptExisting;
  if (news.generationSeed !== undefined && news.generationSeed !== null)
    inputs.generationSeed = news.generationSeed;
  // An undefined value would fail the host's protobuf conversion ("Unexpected struct type.").
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { inputs, failures };
}
