/**
 * Code-set arithmetic for `CouponCodeBatch`: desired codes, generation, fingerprints and the
 * difference between what is declared and what exists. Pure and fast on 100,000 codes
 * (linear-time set operations; sorting only for the fingerprint).
 */
import { createHash, randomInt } from "crypto";
import { DEFAULT_ALPHABET } from "./batchCheck";

/** The `generate` input. */
export interface GenerateSpec {
  count: number;
  length: number;
  prefix?: string;
  alphabet?: string;
}

/** sha256 (hex) over the sorted codes joined by newlines: equal sets give equal fingerprints. */
export function fingerprint(codes: readonly string[]): string {
  const sorted = [...codes].sort();
  return createHash("sha256").update(sorted.join("\n")).digest("hex");
}

/** Draws one code from a cryptographic random source. */
export function drawCode(spec: GenerateSpec): string {
  const alphabet = spec.alphabet ?? DEFAULT_ALPHABET;
  let out = spec.prefix ?? "";
  for (let i = 0; i < spec.length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * Extends `existing` with freshly drawn codes until it holds `spec.count`, avoiding any code
 * (case-insensitively) in `existing` or `avoid`. Existing codes keep their order, so stored
 * generated codes stay stable across updates.
 */
export function generateCodes(
  spec: GenerateSpec,
  existing: readonly string[],
  avoid: Iterable<string> = [],
): string[] {
  const result = existing.slice(0, spec.count);
  const taken = new Set<string>();
  for (const c of existing) taken.add(c.toUpperCase());
  for (const c of avoid) taken.add(c.toUpperCase());
  while (result.length < spec.count) {
    const code = drawCode(spec);
    const key = code.toUpperCase();
    if (taken.has(key)) continue;
    taken.add(key);
    result.push(code);
  }
  return result;
}

/** Codes to add and to remove to turn `current` into `desired`. */
export interface CodeDelta {
  added: string[];
  removed: string[];
}

/** Computes the delta in linear time. */
export function codeDelta(current: readonly string[], desired: readonly string[]): CodeDelta {
  const currentSet = new Set(current);
  const desiredSet = new Set(desired);
  const added = desired.filter((c) => !currentSet.has(c));
  const removed = current.filter((c) => !desiredSet.has(c));
  return { added, removed };
}

/** True when both lists hold the same codes (order ignored). */
export function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  if (set.size !== a.length) return false;
  for (const c of b) if (!set.has(c)) return false;
  return true;
}

/**
 * The codes a batch should hold. With `codes`, exactly those; with `generate`, the current
 * generated codes trimmed (newest first) or extended to `count`.
 */
export function desiredCodes(
  inputs: { codes?: string[]; generate?: GenerateSpec },
  current: readonly string[],
  avoid: Iterable<string> = [],
): string[] {
  if (inputs.codes) return inputs.codes;
  if (!inputs.generate) return [];
  return generateCodes(inputs.generate, current, avoid);
}

/** Klaviyo's coupon-code id: `<couponId>-<unique_code>`. */
export function codeId(couponId: string, code: string): string {
  return `${couponId}-${code}`;
}
