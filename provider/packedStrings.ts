/**
 * The compact form in which a batch's codes cross the wire and sit in state: one string instead of a
 * list. The engine and the SDK's provider host convert every list element to a protobuf `Value` (and the
 * state to one JSON string per element); at 100,000 codes that conversion, not Klaviyo, dominated a
 * preview, and the list cost 20 bytes of encrypted state per 12-character code. Packed, the same codes
 * travel as one string and take about 8 bytes each once compressed and encrypted.
 *
 * Form: `kcp1:` followed by the base64 of the raw-deflated codes joined by newlines. Codes never contain
 * a newline (check refuses it before anything is packed). The form is versioned so a later release can
 * read every earlier one.
 */
import { deflateRawSync, inflateRawSync } from "zlib";

/** Marks a packed list and its version. */
export const PACKED_PREFIX = "kcp1:";

// Level 4 packs 500,000 codes in about 0.1 s, within 2% of level 9's size (which takes 0.7 s).
const DEFLATE_LEVEL = 4;

// A packed value never unpacks to more than this: 500,000 codes of 64 characters and their separators.
// It stops a damaged or hostile value from exhausting memory before the count is checked.
const MAX_UNPACKED_BYTES = 500_000 * 65;

/** True when `value` is in the packed form (it may still fail to unpack). */
export function isPacked(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PACKED_PREFIX);
}

/**
 * Packs a list of strings. Returns undefined, packing nothing, when an element is not a string or holds
 * a newline: such a list stays a list, so `check` can name the offending element.
 */
export function packStrings(values: readonly unknown[]): string | undefined {
  for (const value of values) if (typeof value !== "string" || value.includes("\n")) return undefined;
  const joined = values.join("\n");
  // An empty list and a list of one empty string would join alike; "" packs only the empty list.
  if (values.length === 1 && joined === "") return undefined;
  return PACKED_PREFIX + deflateRawSync(joined, { level: DEFLATE_LEVEL }).toString("base64");
}

/**
 * Unpacks a value made by {@link packStrings}.
 *
 * @throws Error naming what is wrong (never any content) when the value is not a readable packed list.
 */
export function unpackStrings(packed: string): string[] {
  if (!isPacked(packed)) throw new Error(`is not a packed list (it does not start with "${PACKED_PREFIX}")`);
  const payload = packed.slice(PACKED_PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new Error("is a damaged packed list (not base64)");
  let joined: string;
  try {
    joined = inflateRawSync(Buffer.from(payload, "base64"), { maxOutputLength: MAX_UNPACKED_BYTES }).toString(
      "utf8",
    );
  } catch (err) {
    const why =
      err instanceof RangeError ? "it unpacks to more than 500,000 codes could be" : "it does not inflate";
    throw new Error(`is a damaged packed list (${why})`);
  }
  return joined === "" ? [] : joined.split("\n");
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
