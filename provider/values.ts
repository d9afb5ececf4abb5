/**
 * Small helpers for values crossing the Pulumi provider protocol.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";

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

/** Most characters of a user's value that a message quotes; longer values are cut (see {@link clip}). */
export const ECHO_MAX_LENGTH = 64;

// The first ECHO_MAX_LENGTH characters, without splitting a surrogate pair.
function head(text: string): string {
  const high = /[\uD800-\uDBFF]/.test(text.charAt(ECHO_MAX_LENGTH - 1));
  return text.slice(0, high ? ECHO_MAX_LENGTH - 1 : ECHO_MAX_LENGTH);
}

/**
 * Cuts `text` after {@link ECHO_MAX_LENGTH} characters, adding an ellipsis and the full length, so a
 * message never grows with the input. Never pass a coupon code: codes are never quoted at all.
 */
export function clip(text: string): string {
  return text.length <= ECHO_MAX_LENGTH ? text : `${head(text)}… (${text.length} characters)`;
}

/**
 * Renders a value for a message as JSON (strings quoted), cut like {@link clip}: `"ABC…" (1000000
 * characters)`. Never pass a coupon code.
 */
export function echo(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > ECHO_MAX_LENGTH;
    return cut ? `${JSON.stringify(head(value) + "…")} (${value.length} characters)` : JSON.stringify(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return clip(text);
}

/**
 * Reads `obj[key]` only when it is the object's own property. The host decodes inputs by plain
 * assignment, so an input key `__proto__` becomes the prototype, whose properties must not pass for inputs.
 */
export function own(obj: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * Failures for every key of `obj` not in `known` (property `<prefix><key>`, reason `unknown property
 * "<key>"`), including a `__proto__` key the host decoded into the prototype: a decoded object whose
 * prototype is neither `Object.prototype` nor `null` can only come from one.
 */
export function unknownKeyFailures(obj: object, known: readonly string[], prefix = ""): CheckFailure[] {
  const keys = Object.keys(obj).filter((key) => !known.includes(key));
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null && !keys.includes("__proto__")) keys.push("__proto__");
  return keys.map((key) => ({ property: clip(prefix + key), reason: `unknown property ${echo(key)}` }));
}

// RFC 3339 section 5.6 `full-date` and `date-time`, the latter with upper-case T and Z: a batch sends its
// `expiresAt` to Klaviyo as written, and Klaviyo's examples use upper case (lower case is unconfirmed).
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Options of {@link rfc3339Instant}. */
export interface InstantOptions {
  /**
   * Also accept a `full-date` alone (`2031-06-30`), read as midnight UTC. Only where the value is
   * compared (the availability bounds of the library and the command line), never where it is sent to
   * Klaviyo as written: Klaviyo refuses a code expiry without a time.
   */
  date?: boolean;
}

/** Midnight UTC of a calendar day, or undefined when the day does not exist (February 30th). */
function utcDay(year: number, month: number, day: number): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0-99 to 1900-1999
  // Impossible days roll over into the next month.
  const exists =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? date.getTime() : undefined;
}

/**
 * Milliseconds since the epoch of an RFC 3339 date-time with an offset (`2031-06-30T23:59:59Z`,
 * `2031-06-30T23:59:59.5+02:00`), or `undefined` for anything else: a date alone (unless
 * {@link InstantOptions.date}), missing seconds, no offset, an offset without a colon, lower-case `t` or
 * `z`, a day or time that does not exist, a leap second. The one rule of every date the package reads.
 */
export function rfc3339Instant(text: string, options: InstantOptions = {}): number | undefined {
  const d = options.date ? FULL_DATE.exec(text) : null;
  if (d) return utcDay(Number(d[1]), Number(d[2]), Number(d[3]));
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const midnight = utcDay(year, month, day);
  if (midnight === undefined) return undefined;
  const fraction = m[7] ? Number(`0${m[7]}`) * 1000 : 0;
  const offset = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return midnight + ((hour * 60 + minute - offset) * 60 + second) * 1000 + fraction;
}

/** The kind of a value, without its content (it may be a code): `null`, `a list`, `a string`, ... */
export function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
}
