/**
 * Input validation for `CouponCodeBatch` (the `check` handler). Pure: no HTTP call is made, so
 * malformed input never reaches Klaviyo. Every failure names the property; codes are named by
 * index and offending character, never quoted; other echoed values are cut to 64 characters.
 * Only own properties are read (see `own` in `values.ts`).
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { checkExternalId } from "../coupon/check";
import { echo, own, rfc3339Instant, UNKNOWN, unknownKeyFailures } from "../values";
import { inputNames, normalisedInputs, PROVIDER_KEY, type InputDeclaration } from "../inputs";
import { PACKED_PREFIX, packStrings } from "../packedStrings";
import { checkCodes, codeTextProblem, isCodeText, withUnpackedCodes } from "./codeChecks";
import { inPackingOrder } from "./codes";
import { CODE_CHANGES_KEY } from "./codeChanges";
import {
  BATCH_INPUTS,
  batchInputNames,
  CODE_SPACE_FACTOR,
  DELETE_POLICIES,
  GENERATE_INPUTS,
  type BatchInputName,
} from "./inputs";

// `codes.ts` reads the default alphabet from here.
export { DEFAULT_ALPHABET } from "./inputs";

type Failures = CheckFailure[];

function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

function checkInteger(
  value: unknown,
  property: string,
  { min, max }: { min: number; max: number },
  failures: Failures,
): void {
  if (value === undefined || isUnknown(value)) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    failures.push({
      property,
      reason: `${property} must be a whole number from ${min} to ${max}, got ${echo(value)}`,
    });
  }
}

function checkGenerate(generate: unknown, failures: Failures): void {
  if (isUnknown(generate)) return;
  if (!generate || typeof generate !== "object" || Array.isArray(generate)) {
    failures.push({
      property: "generate",
      reason: "generate must be an object { count, length, prefix?, alphabet?, keepUnassigned? }",
    });
    return;
  }
  const keys = inputNames(GENERATE_INPUTS);
  const g = Object.fromEntries(keys.map((key) => [key, own(generate, key)]));
  failures.push(...unknownKeyFailures(generate, keys, "generate."));
  for (const key of keys) {
    const declared: InputDeclaration = GENERATE_INPUTS[key];
    if (declared.required && g[key] === undefined)
      failures.push({ property: `generate.${key}`, reason: `generate.${key} is required` });
  }
  checkInteger(g.count, "generate.count", GENERATE_INPUTS.count, failures);
  checkInteger(g.length, "generate.length", GENERATE_INPUTS.length, failures);
  checkInteger(g.keepUnassigned, "generate.keepUnassigned", GENERATE_INPUTS.keepUnassigned, failures);
  const prefix = g.prefix ?? "";
  if (!isUnknown(prefix)) {
    if (!isCodeText(prefix))
      failures.push({ property: "generate.prefix", reason: codeTextProblem(prefix, "prefix") });
    else if (typeof g.length === "number" && prefix.length + g.length > BATCH_INPUTS.codes.item.maxLength) {
      failures.push({
        property: "generate.prefix",
        reason: `prefix plus length must be at most ${BATCH_INPUTS.codes.item.maxLength} characters`,
      });
    }
  }
  checkAlphabet(g, failures);
}

function checkAlphabet(g: Record<string, unknown>, failures: Failures): void {
  const { minLength, unsetMeans } = GENERATE_INPUTS.alphabet;
  const alphabet = g.alphabet ?? unsetMeans;
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
  } else if (alphabet.length < minLength) {
    failures.push({
      property: "generate.alphabet",
      reason: `alphabet needs at least ${minLength} characters`,
    });
  } else if (typeof g.count === "number" && typeof g.length === "number") {
    // Demand a code space far larger than the pool so random draws rarely collide and codes stay unguessable.
    const space = Math.pow(alphabet.length, g.length);
    if (space < g.count * CODE_SPACE_FACTOR) {
      failures.push({
        property: "generate.length",
        reason: `${alphabet.length}^${g.length} possible codes is too few for ${g.count} unguessable codes; use a longer length`,
      });
    }
  }
}

/** The form `expiresAt` must take, as check failures state it. */
const EXPIRES_AT_FORM =
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

function checkDeletePolicy(value: unknown, failures: Failures): void {
  if (value === undefined || value === null || isUnknown(value)) return;
  if (!(DELETE_POLICIES as readonly unknown[]).includes(value)) {
    failures.push({
      property: "deletePolicy",
      reason: `deletePolicy must be one of ${DELETE_POLICIES.join(", ")}, got ${echo(value)}`,
    });
  }
}

function checkBoolean(value: unknown, property: string, failures: Failures): void {
  if (value !== undefined && !isUnknown(value) && typeof value !== "boolean") {
    failures.push({ property, reason: `${property} must be true or false` });
  }
}

function checkGenerationSeed(seed: unknown, failures: Failures): void {
  const { minLength, maxLength } = BATCH_INPUTS.generationSeed;
  if (seed === undefined || seed === null || isUnknown(seed)) return;
  if (typeof seed !== "string" || seed.length < minLength || seed.length > maxLength) {
    failures.push({
      property: "generationSeed",
      reason: `generationSeed must be a string of ${minLength} to ${maxLength} characters`,
    });
  }
}

/** Fails unless exactly one of `codes` and `generate` is set. */
function checkOneSource(news: Record<string, unknown>, failures: Failures): void {
  const hasCodes = present(own(news, "codes"));
  if (hasCodes === present(own(news, "generate"))) {
    failures.push({
      property: hasCodes ? "generate" : "codes",
      reason: hasCodes ? "set either codes or generate, not both" : "set exactly one of codes or generate",
    });
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

type InputCheck = (value: unknown, news: Record<string, unknown>, failures: Failures) => void;

// One check per declared input, run in declaration order: declaring an input without one does not compile.
function inputChecks(now: number): { [K in BatchInputName]: InputCheck } {
  return {
    couponId: (value, _, failures) => failures.push(...checkExternalId(value, "couponId")),
    // Which of codes and generate is set comes first, then what is wrong with the one that is.
    codes: (value, news, failures) => {
      checkOneSource(news, failures);
      if (present(value)) checkCodes(value, failures);
    },
    generate: (value, _, failures) => {
      if (present(value)) checkGenerate(value, failures);
    },
    expiresAt: (value, _, failures) => checkExpiresAt(value, now, failures),
    deletePolicy: (value, _, failures) => checkDeletePolicy(value, failures),
    maxConcurrentJobs: (value, _, failures) =>
      checkInteger(value, "maxConcurrentJobs", BATCH_INPUTS.maxConcurrentJobs, failures),
    jobTimeoutSeconds: (value, _, failures) =>
      checkInteger(value, "jobTimeoutSeconds", BATCH_INPUTS.jobTimeoutSeconds, failures),
    secretCodes: (value, _, failures) => checkBoolean(value, "secretCodes", failures),
    generationSeed: (value, _, failures) => checkGenerationSeed(value, failures),
    pruneExpired: (value, news, failures) => {
      checkBoolean(value, "pruneExpired", failures);
      if (value === true && present(own(news, "codes"))) {
        failures.push({
          property: "pruneExpired",
          reason: "pruneExpired needs generate: a listed code leaves the batch when it is removed from codes",
        });
      }
    },
    adoptExisting: (value, _, failures) => checkBoolean(value, "adoptExisting", failures),
  };
}

/** What `check` makes of a batch's inputs. */
export interface CheckedBatch {
  /** The inputs, normalised, with the codes packed; what Pulumi stores and create and update receive. */
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
  /** The listed codes, unpacked and sorted (code-unit order), when they are valid and known. */
  codes?: readonly string[];
}

/**
 * Validates new batch inputs; returns them normalised (defaults applied, unknowns untouched, listed
 * codes packed whichever form they came in, see `packedStrings.ts`). `expiresAt` is returned as given,
 * never rewritten, so state written by earlier versions still compares equal. `now` is injectable so
 * tests can pin time.
 */
export function checkBatchInputs(decoded: Record<string, unknown>, now: number = Date.now()): CheckedBatch {
  const names = batchInputNames();
  const checks = inputChecks(now);
  const failures: Failures = [];
  const news = withUnpackedCodes(decoded, failures);
  // Own properties only (here and in normalisedInputs): a decoded "__proto__" key supplies nothing.
  for (const name of names) checks[name](own(news, name), news, failures);
  // `codeChanges` is check's own output: inputs fed back (as the plan benchmark does) are not refused.
  failures.push(...unknownKeyFailures(news, [...names, PROVIDER_KEY, CODE_CHANGES_KEY]));
  // Refused inputs go back as given; Pulumi stores nothing of them.
  if (failures.length > 0) return { inputs: normalisedInputs(BATCH_INPUTS, decoded), failures };
  const inputs = normalisedInputs(BATCH_INPUTS, news);
  const codes = inputs.codes;
  if (!Array.isArray(codes) || codes.some(isUnknown)) return { inputs, failures };
  // Stored sorted (a set packs into half the bytes sorted). Codes that came packed in that order keep
  // the string they came in: packing 100,000 codes again costs more than checking them.
  const received = own(decoded, "codes");
  const ordered = inPackingOrder(codes);
  const keep = ordered === codes && typeof received === "string" && received.startsWith(PACKED_PREFIX);
  inputs.codes = keep ? received : (packStrings(ordered) ?? codes);
  return { inputs, failures, codes: ordered };
}
