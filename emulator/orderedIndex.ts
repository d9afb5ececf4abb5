/**
 * An insertion-ordered collection keyed by a monotonically increasing sequence number.
 *
 * Lists must page in O(page size) even for a coupon with 100,000 codes, so a cursor holds the sequence
 * of the last item returned and the next page starts with a binary search. Deletions leave tombstones
 * (so positions stay valid without shifting arrays) and the arrays are compacted once tombstones
 * outnumber live entries, which keeps both scans and memory amortised linear in live items.
 */

/** One entry yielded while iterating an {@link OrderedIndex}. */
export interface SeqEntry<T> {
  seq: number;
  value: T;
}

const COMPACT_MIN_TOMBSTONES = 64;

/** See the module documentation. */
export class OrderedIndex<T> {
  private seqs: number[] = [];
  private values: Array<T | undefined> = [];
  private live = 0;
  private tombstones = 0;
  /** Bumped by every compaction and clear, so a running iteration knows its position moved. */
  private layout = 0;

  /** Number of live entries. */
  get size(): number {
    return this.live;
  }

  /** Appends an entry; `seq` must be greater than every sequence already added. */
  push(seq: number, value: T): void {
    const last = this.seqs.length > 0 ? this.seqs[this.seqs.length - 1] : -Infinity;
    if (seq <= last) throw new Error(`OrderedIndex: sequence ${seq} is not after ${last}`);
    this.seqs.push(seq);
    this.values.push(value);
    this.live++;
  }

  /** Removes the entry with sequence `seq`; returns whether it was present. */
  remove(seq: number): boolean {
    const position = this.lowerBound(seq);
    if (position >= this.seqs.length || this.seqs[position] !== seq) return false;
    if (this.values[position] === undefined) return false;
    this.values[position] = undefined;
    this.live--;
    this.tombstones++;
    if (this.tombstones >= COMPACT_MIN_TOMBSTONES && this.tombstones > this.live) this.compact();
    return true;
  }

  /** Drops every entry. */
  clear(): void {
    this.seqs = [];
    this.values = [];
    this.live = 0;
    this.tombstones = 0;
    this.layout++;
  }

  /**
   * Live entries with a sequence strictly greater than `afterSeq`, in order. Removing entries while
   * iterating is allowed: a removal may compact the arrays, and the iteration then finds its place
   * again by sequence instead of skipping entries.
   */
  *entriesAfter(afterSeq: number): Generator<SeqEntry<T>> {
    let layout = this.layout;
    let last = afterSeq;
    let i = this.lowerBound(afterSeq + 1);
    for (;;) {
      if (layout !== this.layout) {
        layout = this.layout;
        i = this.lowerBound(last + 1);
      }
      if (i >= this.seqs.length) return;
      const value = this.values[i];
      i++;
      if (value === undefined) continue;
      last = this.seqs[i - 1];
      yield { seq: last, value };
    }
  }

  /** All live values, in order. */
  *valuesInOrder(): Generator<T> {
    for (const entry of this.entriesAfter(-Infinity)) yield entry.value;
  }

  private lowerBound(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.seqs[mid] < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private compact(): void {
    const seqs: number[] = [];
    const values: T[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      const value = this.values[i];
      if (value !== undefined) {
        seqs.push(this.seqs[i]);
        values.push(value);
      }
    }
    this.seqs = seqs;
    this.values = values;
    this.tombstones = 0;
    this.layout++;
  }
}

/**
 * Merges several sequence-ordered streams into one, in sequence order. Used when a filter names several
 * coupons (`any(coupon.id,[...])`): each coupon's index is ordered, and sequences are global.
 */
export function* mergeBySeq<T>(sources: Array<Iterator<SeqEntry<T>>>): Generator<SeqEntry<T>> {
  const heads: Array<SeqEntry<T> | undefined> = sources.map((source) => nextOf(source));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head !== undefined && (best < 0 || head.seq < (heads[best] as SeqEntry<T>).seq)) best = i;
    }
    if (best < 0) return;
    yield heads[best] as SeqEntry<T>;
    heads[best] = nextOf(sources[best]);
  }
}

function nextOf<T>(source: Iterator<SeqEntry<T>>): SeqEntry<T> | undefined {
  const result = source.next();
  return result.done ? undefined : result.value;
}
