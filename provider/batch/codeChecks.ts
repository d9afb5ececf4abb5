/**
 * The checks of a batch's codes and of the parts of generated codes (prefix, alphabet), for `check`.
 * Pure. Codes are secret and Pulumi prints check failures in plain text, so a failure names a code by
 * its index and a masked form (`maskCode`: at most two leading characters and the length), never by
 * its text.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { kindOf, own, UNKNOWN } from "../values";
import { isPacked, unpackStrings } from "../packedStrings";
import { BATCH_INPUTS, CODE_PATTERN } from "./inputs";
import { maskCode } from "./redaction";

const CODES = BATCH_INPUTS.codes;
const CODE = CODES.item;

type Failures = CheckFailure[];

function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

// Past this many, further failures are summarised: a 100,000-line error helps nobody.
const MAX_REPORTED = 20;

/** Checks the listed codes: count, each code, duplicates (case-insensitively). */
export function checkCodes(codes: unknown, failures: Failures): void {
  if (isUnknown(codes)) return;
  if (!Array.isArray(codes)) {
    failures.push({ property: "codes", reason: `codes must be a list of strings, got ${typeof codes}` });
    return;
  }
  if (codes.length < CODES.minItems) failures.push({ property: "codes", reason: "codes must not be empty" });
  if (codes.length > CODES.maxItems) {
    failures.push({
      property: "codes",
      reason: `codes holds ${codes.length} codes; at most ${CODES.maxItems} per batch`,
    });
    return;
  }
  // A Set, and property names built only for a failure: at 500,000 codes a map of indices and a name per
  // code were much of check's memory. The first index of a duplicate is looked up when it is reported.
  const seen = new Set<string>();
  let reported = 0;
  let extra = 0;
  const report = (i: number, reason: () => string) => {
    if (reported < MAX_REPORTED) {
      failures.push({ property: `codes[${i}]`, reason: reason() });
      reported++;
    } else extra++;
  };
  codes.forEach((code, i) => {
    if (isUnknown(code)) return;
    if (typeof code !== "string") return report(i, () => `code must be a string, got ${kindOf(code)}`);
    const problem = codeProblem(code);
    if (problem) return report(i, () => `${maskCode(code)} ${problem}`);
    const key = code.toUpperCase();
    if (!seen.has(key)) return void seen.add(key);
    report(
      i,
      () =>
        `${maskCode(code)} duplicates codes[${firstIndexOf(codes, key)}]; codes are compared case-insensitively`,
    );
  });
  if (extra > 0) failures.push({ property: "codes", reason: `${extra} more invalid codes not listed` });
}

function firstIndexOf(codes: readonly unknown[], key: string): number {
  return codes.findIndex((c) => typeof c === "string" && c.toUpperCase() === key);
}

/**
 * Explains why a single code is invalid, or returns undefined. Never quotes the code: codes are secret,
 * and Pulumi prints check failures in plain text. The offending character alone cannot be part of a
 * valid code, so naming it reveals nothing.
 */
function codeProblem(code: string): string | undefined {
  if (code.trim() === "") return "is empty or whitespace";
  if (code.length > CODE.maxLength) {
    return `is too long; at most ${CODE.maxLength} characters allowed`;
  }
  if (!CODE.pattern.test(code))
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
export function isCodeText(value: unknown): value is string {
  return typeof value === "string" && (value === "" || CODE_PATTERN.test(value));
}

/** Why a prefix or alphabet is not {@link isCodeText}, quoting neither (they are parts of codes). */
export function codeTextProblem(value: unknown, name: string): string {
  return typeof value === "string"
    ? `${name} ${badCharacter(value)}; it may contain only letters, digits, "-" and "_"`
    : `${name} must be a string, got ${kindOf(value)}`;
}

/**
 * The inputs with packed codes unpacked, so they are checked as the list they stand for; codes that
 * cannot be unpacked are a failure (and read as unknown, so nothing else reports on them).
 */
export function withUnpackedCodes(
  decoded: Record<string, unknown>,
  failures: Failures,
): Record<string, unknown> {
  const codes = own(decoded, "codes");
  if (!isPacked(codes)) return decoded;
  try {
    return { ...decoded, codes: unpackStrings(codes) };
  } catch (err) {
    failures.push({ property: "codes", reason: `codes ${err instanceof Error ? err.message : String(err)}` });
    return { ...decoded, codes: UNKNOWN };
  }
}
