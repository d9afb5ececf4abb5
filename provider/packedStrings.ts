/**
 * The compact form in which a batch's codes cross the wire and sit in state: one string instead of a
 * list. The engine and the SDK's provider host convert every list element to a protobuf `Value` (and the
 * state to one JSON string per element); at 100,000 codes that conversion, not Klaviyo, dominated a
 * preview, and the list cost 20 bytes of encrypted state per 12-character code.
 *
 * Form `kcp2:` (written): the base64 of a raw deflate of `<count>\n`, then two bytes per string (32 plus
 * the length it shares with the string before it, 32 plus the length of the rest), then every rest,
 * without separators. Sorted, neighbouring codes share their leading characters, and a set of 100,000
 * random 12-character codes packs into about 3.6 bytes a code (6.3 once Pulumi encrypts it); the order
 * of the list is kept whatever it is, so callers sort when order carries no meaning.
 * Form `kcp1:` (read only, written by development builds before kcp2): base64 of a raw deflate of the
 * strings joined by newlines. A later release reads every earlier form.
 */
import { deflateRawSync, inflateRawSync } from "zlib";

/** Marks a packed list and the form it is written in. */
export const PACKED_PREFIX = "kcp2:";
const NEWLINE_FORM = "kcp1:";

// Deflate levels above 4 save under 1% here and cost up to ten times the time.
const DEFLATE_LEVEL = 4;

/** The longest string the form can hold (its lengths are stored as printable characters). */
export const MAX_PACKED_LENGTH = 94;
const FIRST_PRINTABLE = 0x20;
const LAST_PRINTABLE = 0x7e;

// A packed value never unpacks to more than this: 500,000 strings of the longest kind, their lengths
// and the count. It stops a damaged or hostile value from exhausting memory before anything is checked.
const MAX_UNPACKED_BYTES = 500_000 * (MAX_PACKED_LENGTH + 2) + 16;

/** True when `value` is in a packed form (it may still fail to unpack). */
export function isPacked(value: unknown): value is string {
  return typeof value === "string" && (value.startsWith(PACKED_PREFIX) || value.startsWith(NEWLINE_FORM));
}

/**
 * Packs a list of strings, keeping its order. Returns undefined, packing nothing, when an element is not
 * a string of printable ASCII characters (letters, digits, punctuation, space) at most 94 long: such a
 * list stays a list, so `check` can name the offending element.
 */
export function packStrings(values: readonly unknown[]): string | undefined {
  let restBytes = 0;
  for (const value of values) {
    if (typeof value !== "string" || !isPackable(value)) return undefined;
    restBytes += value.length;
  }
  const header = `${values.length}\n`;
  const body = Buffer.allocUnsafe(header.length + 2 * values.length + restBytes);
  body.write(header, 0, "latin1");
  let lengthAt = header.length;
  let restAt = lengthAt + 2 * values.length;
  let previous = "";
  for (const value of values as readonly string[]) {
    const shared = sharedLength(previous, value);
    body[lengthAt++] = FIRST_PRINTABLE + shared;
    body[lengthAt++] = FIRST_PRINTABLE + value.length - shared;
    for (let i = shared; i < value.length; i++) body[restAt++] = value.charCodeAt(i);
    previous = value;
  }
  const packed =
    PACKED_PREFIX + deflateRawSync(body.subarray(0, restAt), { level: DEFLATE_LEVEL }).toString("base64");
  remember(packed, (values as readonly string[]).slice());
  return packed;
}

function isPackable(value: string): boolean {
  if (value.length > MAX_PACKED_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < FIRST_PRINTABLE || c > LAST_PRINTABLE) return false;
  }
  return true;
}

function sharedLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let n = 0;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/**
 * Unpacks a value made by {@link packStrings} (or by a development build's `kcp1:` form).
 *
 * @throws Error naming what is wrong (never any content) when the value is not a readable packed list.
 */
export function unpackStrings(packed: string): string[] {
  const known = recentlyUnpacked.find((entry) => entry.packed === packed);
  if (known) return known.strings.slice();
  const strings = unpacked(packed);
  remember(packed, strings);
  return strings.slice();
}

function remember(packed: string, strings: readonly string[]): void {
  recentlyUnpacked.unshift({ packed, strings });
  recentlyUnpacked.length = Math.min(recentlyUnpacked.length, RECENT_LISTS);
}

// The lists last packed or unpacked, by their packed form. One provider process receives the same packed
// codes in check (which may pack them anew, sorted), diff and create; unpacked once, 500,000 codes are one
// set of strings (about 20 MB) instead of one per handler. Two entries: a diff unpacks the stored codes
// between the new ones' check and create.
const RECENT_LISTS = 2;
const recentlyUnpacked: Array<{ packed: string; strings: readonly string[] }> = [];

function unpacked(packed: string): string[] {
  if (!isPacked(packed)) throw new Error(`is not a packed list (it does not start with "${PACKED_PREFIX}")`);
  const body = inflated(packed.slice(PACKED_PREFIX.length));
  if (packed.startsWith(NEWLINE_FORM)) {
    const joined = body.toString("utf8");
    return joined === "" ? [] : joined.split("\n");
  }
  const strings = frontCoded(body);
  if (strings === undefined) throw new Error("is a damaged packed list (its content does not add up)");
  return strings;
}

function inflated(payload: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new Error("is a damaged packed list (not base64)");
  try {
    return inflateRawSync(Buffer.from(payload, "base64"), { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (err) {
    const why =
      err instanceof RangeError ? "it unpacks to more than 500,000 codes could be" : "it does not inflate";
    throw new Error(`is a damaged packed list (${why})`);
  }
}

// Reads the kcp2 body; undefined when any length, character or count is out of place.
function frontCoded(body: Buffer): string[] | undefined {
  const headerEnd = body.indexOf(0x0a);
  const countText = headerEnd > 0 && headerEnd <= 7 ? body.toString("latin1", 0, headerEnd) : "";
  if (!/^(0|[1-9][0-9]*)$/.test(countText)) return undefined;
  const count = Number(countText);
  let lengthAt = headerEnd + 1;
  let restAt = lengthAt + 2 * count;
  if (restAt > body.length) return undefined;
  const current = Buffer.alloc(MAX_PACKED_LENGTH);
  const strings = new Array<string>(count);
  let previousLength = 0;
  for (let n = 0; n < count; n++) {
    const shared = body[lengthAt++] - FIRST_PRINTABLE;
    const rest = body[lengthAt++] - FIRST_PRINTABLE;
    const length = shared + rest;
    if (shared < 0 || rest < 0 || shared > previousLength || length > MAX_PACKED_LENGTH) return undefined;
    if (restAt + rest > body.length) return undefined;
    for (let i = shared; i < length; i++) {
      const c = body[restAt++];
      if (c < FIRST_PRINTABLE || c > LAST_PRINTABLE) return undefined;
      current[i] = c;
    }
    strings[n] = current.toString("latin1", 0, length);
    previousLength = length;
  }
  return restAt === body.length ? strings : undefined;
}

/**
 * Reads a list of strings stored either as a list (state written before 0.2) or packed. Returns
 * undefined when `value` is neither, leaving the message to the caller.
 *
 * @throws Error when `value` is a packed list that cannot be unpacked.
 */
export function readStrings(value: unknown): string[] | undefined {
  if (isPacked(value)) return unpackStrings(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  return undefined;
}
