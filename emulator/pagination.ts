/** Cursor pagination: opaque cursors that carry the sequence number of the last item served. */
import { invalidParameter } from "./failures";
import type { SeqEntry } from "./orderedIndex";

/** One page taken from a sequence-ordered stream. */
export interface Page<T> {
  items: T[];
  /** Cursor for the following page; absent when nothing is left. */
  nextCursor?: string;
}

const CURSOR_PREFIX = "emu1.";

/** Encodes a cursor that resumes after `seq`. */
export function encodeCursor(seq: number): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify({ after: seq }), "utf8").toString("base64url");
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is a 400 on `page[cursor]`. */
export function decodeCursor(cursor: string): number {
  const bad = () => invalidParameter("page[cursor]", `Invalid page cursor '${cursor}'.`);
  if (!cursor.startsWith(CURSOR_PREFIX)) throw bad();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  const after = (decoded as { after?: unknown } | null)?.after;
  if (typeof after !== "number" || !Number.isSafeInteger(after) || after < 0) throw bad();
  return after;
}

/**
 * Takes up to `size` matching entries from `entries` (already positioned after the cursor). It reads one
 * match past the page to decide whether a next link is needed, so unfiltered pages cost O(size).
 */
export function takePage<T>(
  entries: Iterable<SeqEntry<T>>,
  size: number,
  predicate: (value: T) => boolean = () => true,
): Page<T> {
  const items: T[] = [];
  let lastSeq = -1;
  for (const entry of entries) {
    if (!predicate(entry.value)) continue;
    if (items.length === size) return { items, nextCursor: encodeCursor(lastSeq) };
    items.push(entry.value);
    lastSeq = entry.seq;
  }
  return { items };
}
