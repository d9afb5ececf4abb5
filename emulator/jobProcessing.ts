/**
 * What happens to a bulk-create job's items when it finishes processing: each item is validated and
 * created independently, and every failure becomes an entry of the job's `errors` with a pointer
 * re-rooted at `/data/attributes/coupon-codes/data/<index>`.
 */
import { parseCodeResource } from "./bodies";
import { errorEntry, isApiFailure, type ApiErrorEntry } from "./failures";
import { couponCodeId } from "./ids";
import { toJobError, type JobRecord } from "./model";
import type { CouponStore } from "./store";

const ITEMS_POINTER = "/data/attributes/coupon-codes/data";

/** Processes a job's items against the store and finishes it as `complete` or `cancelled`. */
export function finishJob(job: JobRecord, store: CouponStore, nowMicros: number): void {
  const outcome = job.outcome;
  const limit = outcome?.cancel ? Math.min(outcome.cancelAfter, job.items.length) : job.items.length;
  const seenInJob = new Set<string>();
  for (let index = 0; index < limit; index++) {
    const failure = processItem(job, index, store, nowMicros, seenInJob);
    if (failure) {
      job.failedCount++;
      job.errors.push(failure);
    } else {
      job.completedCount++;
    }
  }
  job.items = [];
  job.status = outcome?.cancel ? "cancelled" : "complete";
  job.completedAt = nowMicros;
}

function processItem(
  job: JobRecord,
  index: number,
  store: CouponStore,
  nowMicros: number,
  seenInJob: Set<string>,
): ReturnType<typeof toJobError> | undefined {
  const itemPointer = `${ITEMS_POINTER}/${index}`;
  try {
    const input = parseCodeResource(job.items[index], "/data");
    const id = couponCodeId(input.couponId, input.uniqueCode);
    if (isForcedFailure(job, index, input.uniqueCode)) {
      const entry = errorEntry(
        500,
        `Coupon code '${input.uniqueCode}' could not be created (injected failure).`,
        {
          code: "coupon_code_creation_failed",
          title: "Coupon code creation failed.",
        },
      );
      return toJobError(entry, itemPointer);
    }
    if (seenInJob.has(id)) {
      const entry = errorEntry(
        409,
        `Coupon code '${input.uniqueCode}' for coupon '${input.couponId}' appears more than once in this job.`,
        { code: "duplicate_coupon_code" },
      );
      return toJobError(entry, `${itemPointer}/attributes/unique_code`);
    }
    seenInJob.add(id);
    const code = store.createCode(input, nowMicros);
    job.createdCodeIds.push(code.id);
    return undefined;
  } catch (error) {
    if (!isApiFailure(error)) throw error;
    const entry: ApiErrorEntry = error.entries[0];
    return toJobError(entry, reroot(entry.source?.pointer, itemPointer));
  }
}

// Single-resource pointers start with "/data"; inside a job the item sits at itemPointer instead.
function reroot(pointer: string | undefined, itemPointer: string): string {
  if (pointer === undefined || !pointer.startsWith("/data")) return itemPointer;
  return itemPointer + pointer.slice("/data".length);
}

function isForcedFailure(job: JobRecord, index: number, uniqueCode: string): boolean {
  const outcome = job.outcome;
  if (!outcome) return false;
  if (outcome.failCodes.has(uniqueCode)) return true;
  // Spread failures evenly: item i fails when floor((i + 1) * f) moves past floor(i * f).
  const f = outcome.failFraction;
  return f > 0 && Math.floor((index + 1) * f) > Math.floor(index * f);
}
