/**
 * Small helpers for values crossing the Pulumi provider protocol.
 */

/**
 * The string the engine sends in place of a value that is not known yet (preview only).
 * Handlers must neither validate nor alter such values.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value (or any value nested in it) is the engine's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Makes a handler result safe for the host's protobuf Struct conversion: `undefined` would fail
 * the call ("Unexpected struct type."), `Date` would become `{}`. A JSON round-trip drops
 * undefined keys and turns dates into ISO strings.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Treats `null` and `undefined` as the same absent value, which is how outputs store them. */
export function sameOptional(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
