/**
 * Following the bulk-create jobs of one upload (`upload.ts`) until Klaviyo is done with them.
 *
 * Polling spends the L-tier budget (75/s, 750/min, shared with the submissions) sparingly: Klaviyo
 * works through an account's jobs in submission order, so only the oldest outstanding job (the head)
 * is polled, on a short backoff; when it is done, the next one is polled at once (jobs finish in
 * waves), and the sweep stops at the first one still running. Younger jobs are probed only when
 * nothing has finished for much longer than usual; if a probe finds one done, the head is evidently
 * slow, so it is set aside and polled on its own slower backoff while the sweep goes on with the next
 * job. A job leaving the list (finished, cancelled, timed out) gives its slot back to the account's
 * job budget.
 *
 * Calls: GET /api/coupon-code-bulk-create-jobs/{id}.
 */
import { isKlaviyoError, titleAndDetail, type BulkCreateJob, type KlaviyoClient } from "../client";
import type { UploadReport, UploadRequest } from "./upload";
import type { JobShare } from "./jobBudget";

/** A submitted job. */
export interface InFlight {
  jobId: string;
  /** Submission order: jobs are processed (and polled) oldest first. */
  order: number;
  /** Consecutive polls that failed even after the client's own retries. */
  pollFailures: number;
  chunk: readonly string[];
  submittedAt: number;
  /** When this job may be polled next (as the head, or as a probe). */
  nextPollAt: number;
  interval: number;
  /** Last time this job was polled (its submission time before that). */
  lastPolledAt: number;
  /** Set aside after younger jobs finished first: polled on its own backoff, not as the head. */
  slow: boolean;
}

/** One upload in progress. */
export interface Upload {
  client: KlaviyoClient;
  req: UploadRequest;
  poll: { initial: number; max: number };
  share: JobShare;
  noticeAfterMs: number;
  /** Chunks not submitted yet (refused ones come back here). */
  pending: string[][];
  total: number;
  report: UploadReport;
  /** Kept in submission order. */
  inFlight: InFlight[];
  order: number;
  done: number;
  uploaded: number;
  lastProgressAt: number;
  longestGap: number;
  nextProbeAt: number;
  /** Since when this upload has had chunks to submit, no room and no job of its own outstanding. */
  waitingSince?: number;
  lastWaitNoticeAt: number;
}

/** Default polling cadence of the head job: first poll, then x1.5 per miss up to `max`. */
export const DEFAULT_POLL = { initial: 250, max: 1000 };

/** Failed poll rounds (each already retried by the client) tolerated per job before giving up. */
const MAX_POLL_FAILURES = 3;

function isTransient(err: unknown): boolean {
  return isKlaviyoError(err) && (err.status === 0 || err.status === 429 || err.status >= 500);
}

const ITEM_POINTER = /coupon-codes\/data\/(\d+)/;

function recordJobErrors(
  job: BulkCreateJob,
  chunk: readonly string[],
  failures: Map<string, string>,
): number {
  let counted = 0;
  for (const err of job.attributes.errors ?? []) {
    const match = ITEM_POINTER.exec(err.source?.pointer ?? "");
    const code = match ? chunk[Number(match[1])] : undefined;
    if (code === undefined) continue;
    failures.set(code, titleAndDetail(err.title, err.detail));
    counted++;
  }
  return counted;
}

/** Records an accepted job; the list stays in submission order. */
export function track(u: Upload, jobId: string, chunk: readonly string[], position: number): void {
  const now = Date.now();
  const entry: InFlight = {
    pollFailures: 0,
    jobId,
    order: position,
    chunk,
    submittedAt: now,
    nextPollAt: now + u.poll.initial,
    interval: u.poll.initial,
    lastPolledAt: now,
    slow: false,
  };
  let i = u.inFlight.length;
  while (i > 0 && u.inFlight[i - 1].order > position) i--;
  u.inFlight.splice(i, 0, entry);
}

export function say(u: Upload, force = false): void {
  u.req.progress.update(
    `${u.done}/${u.total} jobs done, ${u.uploaded}/${u.req.codes.length} codes uploaded`,
    force,
  );
}

/** The job left Klaviyo's queue (or we stopped waiting for it): its slot goes back to the budget. */
function remove(u: Upload, job: InFlight): void {
  u.inFlight.splice(u.inFlight.indexOf(job), 1);
  u.share.release();
  u.done++;
  const now = Date.now();
  u.longestGap = Math.max(u.longestGap, now - u.lastProgressAt);
  u.lastProgressAt = now;
}

function finish(u: Upload, job: InFlight, result: BulkCreateJob): void {
  remove(u, job);
  if (result.attributes.status === "cancelled") {
    u.report.uncertain += job.chunk.length;
  } else {
    const failed = recordJobErrors(result, job.chunk, u.report.failures);
    u.uploaded += job.chunk.length - failed;
  }
  say(u);
}

/** Polls one job; true when it left the in-flight list (finished, cancelled or timed out). */
export async function pollOne(u: Upload, job: InFlight): Promise<boolean> {
  const { poll, req } = u;
  let data: BulkCreateJob;
  job.lastPolledAt = Date.now();
  try {
    ({ data } = await u.client.getBulkCreateCouponCodesJob(job.jobId));
    job.pollFailures = 0;
  } catch (err) {
    // Polling is idempotent: a passing outage must not abandon jobs that are still running.
    if (!isTransient(err) || ++job.pollFailures >= MAX_POLL_FAILURES) throw err;
    job.interval = Math.min(job.interval * 2, poll.max * 4);
    job.nextPollAt = Date.now() + job.interval;
    return false;
  }
  if (data.attributes.status === "complete" || data.attributes.status === "cancelled") {
    finish(u, job, data);
    return true;
  }
  if (Date.now() - job.submittedAt > req.jobTimeoutMs) {
    remove(u, job);
    u.report.uncertain += job.chunk.length;
    req.progress.update(
      `job ${job.jobId} did not finish within ${req.jobTimeoutMs / 1000}s; will verify its codes`,
      true,
    );
    return true;
  }
  const cap = job.slow ? poll.max * 4 : u.pending.length > 0 ? poll.max : tailInterval(u);
  job.interval = Math.min(job.interval * 1.5, cap);
  job.nextPollAt = Date.now() + job.interval;
  return false;
}

// Once everything is submitted, every ms between the last job finishing and us noticing it is
// wall time, so the head is polled faster: a twentieth of the longest gap seen between
// completions, within [initial, max]. Before that, work queued at Klaviyo hides the lag.
function tailInterval(u: Upload): number {
  return Math.min(u.poll.max, Math.max(u.poll.initial, u.longestGap / 20));
}

// Nothing has finished for much longer than the usual gap between completions: the head may be
// stuck or slow while younger jobs are done, so probe the one least recently polled.
export function stalledAt(u: Upload): number {
  return u.lastProgressAt + Math.max(4 * u.poll.max, 2 * u.longestGap);
}

export function headOf(u: Upload): InFlight | undefined {
  return u.inFlight.find((j) => !j.slow);
}

export function probeTarget(u: Upload, head: InFlight): InFlight | undefined {
  let best: InFlight | undefined;
  for (const job of u.inFlight) {
    if (job === head || job.slow) continue;
    if (!best || job.lastPolledAt < best.lastPolledAt) best = job;
  }
  return best;
}

export function sweepFrom(u: Upload): void {
  const next = headOf(u);
  if (next) {
    next.nextPollAt = Math.min(next.nextPollAt, Date.now());
    next.interval = u.poll.initial;
  }
}
