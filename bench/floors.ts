/**
 * Lower bounds ("floors") for the benchmarks, computed from the same parameters the emulator runs with.
 *
 * Rate limits: Klaviyo counts requests in fixed 1 s and 60 s windows whose phase a client cannot observe.
 * The only schedule that is safe for every phase is a sliding window of exactly 1 s / 60 s: request i may
 * leave no earlier than request i-B plus 1 s and request i-M plus 60 s. The floors use that schedule
 * with zero network latency. (A client that happened to start just before a window boundary could do up to
 * one window better; none can rely on that.)
 *
 * Jobs: the emulator's model (`emulator/jobRunner.ts`, with its `JobLatencySettings` and account limits): a
 * job stays `queued` for `queuedMs`, then waits (FIFO) for one of `concurrency` processing slots, then
 * processes for {@link processingMs}. At most `maxActiveJobs` jobs may be queued or processing, and the
 * client learns that a job finished only by polling it (one request on the jobs' tier).
 */
import { DEFAULT_LIMITS, type JobLatencySettings } from "../emulator";
import { OPERATIONS, TIER_LIMITS } from "../provider/client/operations";
import type { TierLimit } from "../provider/client/rateLimiter";

/** Tier of job submits and polls: the upload floor spends one schedule on both. */
export const JOB_TIER: TierLimit = TIER_LIMITS[OPERATIONS.bulkCreateCouponCodes.tier];
/** Tier of the GET /api/coupon-codes listing. */
export const LISTING_TIER: TierLimit = TIER_LIMITS[OPERATIONS.getCouponCodes.tier];

// One schedule for submits and polls is only a floor while both share a tier (and so a budget).
if (OPERATIONS.getBulkCreateCouponCodesJob.tier !== OPERATIONS.bulkCreateCouponCodes.tier) {
  throw new Error("bench/floors.ts: job submits and polls no longer share a rate-limit tier");
}

/** Codes per job and jobs queued or processing at once: the emulator's (and the spec's) limits. */
export const JOB_SIZE = DEFAULT_LIMITS.maxCodesPerJob;
const MAX_ACTIVE_JOBS = DEFAULT_LIMITS.maxActiveJobs;

/** How long the emulator processes a job of `codes` codes once it has a slot (as `JobRunner` does). */
export function processingMs(latency: JobLatencySettings, codes: number): number {
  return latency.processingMsPerJob + latency.processingMsPerCode * codes;
}

/**
 * Grants request slots in order under a tier's limits, as early as the phase-agnostic schedule allows.
 * `grant(t)` returns the earliest time >= t (and >= the previous grant) the next request may leave.
 */
class RateSchedule {
  private readonly times: number[] = [];

  constructor(
    private readonly tier: TierLimit,
    private readonly secondMs = 1000,
    private readonly minuteMs = 60_000,
  ) {}

  /** Requests granted so far. */
  get count(): number {
    return this.times.length;
  }

  grant(desired: number): number {
    const n = this.times.length;
    let t = Math.max(desired, n > 0 ? this.times[n - 1] : 0);
    if (n >= this.tier.perSecond) t = Math.max(t, this.times[n - this.tier.perSecond] + this.secondMs);
    if (n >= this.tier.perMinute) t = Math.max(t, this.times[n - this.tier.perMinute] + this.minuteMs);
    this.times.push(t);
    return t;
  }
}

/** Parameters of {@link listingFloor}. */
export interface ListingFloorParams {
  codes: number;
  /** Largest `page[size]` (spec: 100). */
  pageSize?: number;
  tier?: TierLimit;
  /** Time of one page request with no queueing (measured on the emulator); added once. */
  minRequestMs?: number;
}

/** The least time any client could take to list `codes` codes, however it partitions the listing. */
export function listingFloor(p: ListingFloorParams): { pages: number; rateMs: number; ms: number } {
  const pages = Math.ceil(p.codes / (p.pageSize ?? 100));
  const schedule = new RateSchedule(p.tier ?? LISTING_TIER);
  let last = 0;
  for (let i = 0; i < pages; i++) last = schedule.grant(0);
  return { pages, rateMs: last, ms: last + (p.minRequestMs ?? 0) };
}

/** Parameters of {@link uploadFloor}. */
export interface UploadFloorParams {
  codes: number;
  latency: JobLatencySettings;
  /** Codes per job (default {@link JOB_SIZE}). */
  jobSize?: number;
  /** Jobs queued or processing at once (default: the emulator's limit). */
  maxActiveJobs?: number;
  tier?: TierLimit;
  /** Network time of one request (default 0: a perfect network). */
  requestMs?: number;
}

/** What {@link uploadFloor} found. */
export interface UploadFloor {
  ms: number;
  jobs: number;
  /** Submits plus one poll per job (the least any client can send). */
  requests: number;
  /** When the last job was submitted. */
  lastSubmitMs: number;
  /** When the last job finished processing (the poll that observes it is at the same instant). */
  lastDoneMs: number;
  /** Longest time any job waited for a processing slot. */
  maxSlotWaitMs: number;
}

/**
 * The least wall time ANY client could take to upload `codes` codes: jobs of `jobSize`, submitted as early as
 * the L-tier limits and the active-job limit allow, each polled exactly once at the instant it finishes
 * (an oracle no real client has), with the emulator's FIFO slot scheduling.
 */
export function uploadFloor(p: UploadFloorParams): UploadFloor {
  const jobSize = p.jobSize ?? JOB_SIZE;
  const maxActive = p.maxActiveJobs ?? MAX_ACTIVE_JOBS;
  const net = p.requestMs ?? 0;
  const { queuedMs, concurrency } = p.latency;
  const sizes: number[] = [];
  for (let left = p.codes; left > 0; left -= jobSize) sizes.push(Math.min(jobSize, left));
  const jobs = sizes.length;
  const schedule = new RateSchedule(p.tier ?? JOB_TIER);
  const slots: number[] = Array.from({ length: concurrency }, () => 0);
  const done: number[] = [];
  const observed: number[] = []; // observation (poll) times, in completion order
  const unpolled: number[] = []; // done times of submitted jobs not yet polled, ascending
  let next = 0;
  let lastSubmit = 0;
  let maxSlotWait = 0;
  // Event loop over two kinds of request: the next submit and the next poll, earliest desired time first.
  while (observed.length < jobs) {
    let submitAt = Infinity;
    if (next < jobs) submitAt = next < maxActive ? 0 : (observed[next - maxActive] ?? Infinity);
    const pollAt = unpolled.length > 0 ? unpolled[0] : Infinity;
    if (submitAt === Infinity && pollAt === Infinity) throw new Error("uploadFloor: deadlock");
    if (submitAt <= pollAt) {
      const sent = schedule.grant(submitAt) + net;
      lastSubmit = sent;
      const ready = sent + queuedMs;
      // FIFO: jobs become ready in submission order and take the earliest free slot.
      let slot = 0;
      for (let s = 1; s < slots.length; s++) if (slots[s] < slots[slot]) slot = s;
      const start = Math.max(ready, slots[slot]);
      maxSlotWait = Math.max(maxSlotWait, start - ready);
      const finish = start + processingMs(p.latency, sizes[next]);
      slots[slot] = finish;
      done.push(finish);
      insertSorted(unpolled, finish);
      next++;
    } else {
      unpolled.shift();
      observed.push(schedule.grant(pollAt) + net);
    }
  }
  return {
    ms: observed[observed.length - 1],
    jobs,
    requests: schedule.count,
    lastSubmitMs: lastSubmit,
    lastDoneMs: Math.max(...done),
    maxSlotWaitMs: maxSlotWait,
  };
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}

/**
 * What the sequential baseline (submit one job, poll every `pollMs` until it is complete, submit the next)
 * can expect per job under the model: queued + processing, rounded up to the next poll, plus a submit and a
 * poll round trip. An estimate for the report's sensitivity table, not a bound.
 */
export function sequentialBaselineEstimate(p: {
  codes: number;
  latency: JobLatencySettings;
  pollMs: number;
  jobSize?: number;
  roundTripMs?: number;
}): number {
  const jobSize = p.jobSize ?? JOB_SIZE;
  const rtt = p.roundTripMs ?? 0;
  let total = 0;
  for (let left = p.codes; left > 0; left -= jobSize) {
    const n = Math.min(jobSize, left);
    const busy = p.latency.queuedMs + processingMs(p.latency, n);
    // Polls at pollMs, 2*pollMs, ... after the submit returns; the first one at or after `busy` sees it.
    total += rtt + Math.ceil(busy / (p.pollMs + rtt)) * (p.pollMs + rtt);
  }
  return total;
}
