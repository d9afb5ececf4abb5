/**
 * Code-set arithmetic for `CouponCodeBatch`: desired codes, generation, fingerprints and the
 * difference between what is declared and what exists. Pure and fast on 100,000 codes
 * (linear-time set operations; sorting only for the fingerprint).
 */
import { createHmac } from "crypto";
import { DEFAULT_ALPHABET } from "./check";
import { keyedSha256 } from "./keyedHash";
import type { GenerateInputs } from "./inputs";

/** The `generate` input, as `check` returns it (declared in `inputs.ts`). */
export type GenerateSpec = GenerateInputs;

/**
 * HMAC-SHA256 (hex) over the sorted codes joined by newlines, keyed with `secret` (the account's
 * private API key): equal sets give equal fingerprints, and, unlike a plain hash, a small or guessable
 * pool cannot be recovered from the fingerprint by trying candidates without the key.
 */
export function fingerprint(codes: readonly string[], secret: string): string {
  // Code-unit order, as `sort()` gives; a list already in it (what check stores) is not copied.
  const sorted = inPackingOrder(codes);
  return createHmac("sha256", secret)
    .update(`klaviyo-coupons fingerprint\n${sorted.join("\n")}`)
    .digest("hex");
}

/**
 * A short keyed tag of one code (the first `length` hex characters of an HMAC-SHA256 keyed with
 * `secret`): `check` tags the codes a change removes, and `klaviyo-coupons review --live` tags the codes
 * Klaviyo reports as held to count how many of those are among them. Without the key a tag reveals
 * nothing about its code.
 */
export function codeTag(code: string, secret: string, length: number): string {
  return createHmac("sha256", secret).update(`klaviyo-coupons tag\n${code}`).digest("hex").slice(0, length);
}

/**
 * Where generated codes come from: a keyed, deterministic source. `secret` keeps the codes unguessable
 * (the provider uses the account's private API key, which can list the codes anyway); `scope` tells
 * batches apart (the batch's `generationSeed` and its coupon). The same secret, scope, spec and
 * starting list always give the same codes, so a run that was killed, timed out or lost its state
 * is repeated with exactly the codes it had drawn, which then already exist and are adopted.
 */
export interface CodeSource {
  secret: string;
  scope: string;
}

/**
 * Derives the codes of one sequence: the `draw`-th code is HMAC-SHA256 in counter mode (keyed with the
 * source's secret, over the scope, spec, sequence, draw and block joined by newlines) mapped onto the
 * alphabet without bias. The derivation never changes: a repeated run must draw the codes an earlier one
 * (of any release) uploaded.
 */
function codeDeriver(source: CodeSource, spec: GenerateSpec, sequence: string): (draw: number) => string {
  const alphabet = spec.alphabet ?? DEFAULT_ALPHABET;
  const prefix = spec.prefix ?? "";
  const hash = keyedSha256(
    source.secret,
    [source.scope, prefix, spec.length, alphabet, sequence, ""].join("\n"),
  );
  // Bytes at or above `limit` would favour the first letters of the alphabet: skip them.
  const limit = 256 - (256 % alphabet.length);
  const picked = new Array<string>(spec.length);
  return (draw) => {
    let length = 0;
    for (let block = 0; length < spec.length; block++) {
      const bytes = hash(`${draw}\n${block}`);
      for (let i = 0; i < bytes.length && length < spec.length; i++) {
        if (bytes[i] < limit) picked[length++] = alphabet[bytes[i] % alphabet.length];
      }
    }
    return prefix + picked.join("");
  };
}

/**
 * Extends `existing` with derived codes until it holds `spec.count`, skipping any code that repeats
 * (case-insensitively) one already in the list, or trims it (newest first). Existing codes keep their
 * order, so stored codes stay stable across updates, and the codes added depend only on `source`,
 * `spec` and `existing`: never on what happens to exist in Klaviyo.
 */
export function generateCodes(spec: GenerateSpec, existing: readonly string[], source: CodeSource): string[] {
  const result = existing.slice(0, spec.count);
  if (result.length === spec.count) return result;
  const taken = new Set<string>();
  for (const c of existing) taken.add(c.toUpperCase());
  // The sequence names the starting point, so growing from the same stored list repeats the same draws.
  const derive = codeDeriver(source, spec, String(existing.length));
  for (let draw = 0; result.length < spec.count; draw++) {
    const code = derive(draw);
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

/**
 * The codes in code-unit order: `codes` itself when already so, else a sorted copy. Listed codes are a
 * set, and sorted they pack into about half the state (`packedStrings.ts`); generated codes keep their
 * order, which says which are newest.
 */
export function inPackingOrder(codes: readonly string[]): readonly string[] {
  for (let i = 1; i < codes.length; i++) if (codes[i - 1] > codes[i]) return [...codes].sort();
  return codes;
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
 * generated codes trimmed (newest first) or extended to `count` from `source`.
 */
export function desiredCodes(
  inputs: { codes?: string[]; generate?: GenerateSpec },
  current: readonly string[],
  source: CodeSource,
): string[] {
  if (inputs.codes) return inputs.codes;
  if (!inputs.generate) return [];
  return generateCodes(inputs.generate, current, source);
}

/** Klaviyo's coupon-code id: `<couponId>-<unique_code>`. */
export function codeId(couponId: string, code: string): string {
  return `${couponId}-${code}`;
}
