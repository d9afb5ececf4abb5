/**
 * Uploading codes through Klaviyo's asynchronous bulk-create jobs.
 *
 * Codes go in jobs of at most 1000; up to `maxConcurrentJobs` jobs are outstanding at once so
 * Klaviyo always has queued work, within the account's job budget (`jobBudget.ts`), which all the
 * uploads of the process share so that parallel batches stay below Klaviyo's 100 queued jobs per
 * account. A submission refused for that limit all the same (another process or stack using the
 * account) created nothing: its chunk waits for room and is submitted again, and is never counted as
 * failed. Submitted jobs are followed by `jobPolling.ts`, oldest first.
 * This module only reports what the jobs said: the caller reconciles with a listing afterwards, which
 * is the truth for cancelled jobs, timeouts and lost responses.
 *
 * Calls: POST /api/coupon-code-bulk-create-jobs, GET /api/coupon-code-bulk-create-jobs/{id}.
 */
import { isKlaviyoError, type BulkCreateJob, type KlaviyoClient } from "../client";
import { sleep } from "../concurrency";
import { isQueueLimitRefusal, jobBudgetFor, KLAVIYO_QUEUED_JOB_LIMIT, type JobBudget } from "./jobBudget";
import {
  DEFAULT_POLL,
  headOf,
  pollOne,
  probeTarget,
  say,
  stalledAt,
  sweepFrom,
  track,
  type Upload,
} from "./jobPolling";
import type { Progress } from "./progress";

/** Klaviyo's limit of codes per bulk-create job. */
export const JOB_SIZE = 1000;

/** What to upload and how. */
export interface UploadRequest {
  couponId: string;
  codes: readonly string[];
  expiresAt?: string | null;
  /** Jobs this upload keeps outstanding at most (within the account's shared budget). */
  maxConcurrentJobs: number;
  jobTimeoutMs: number;
  progress: Progress;
  /** Polling cadence; tests and benchmarks may tighten it. */
  pollIntervalMs?: { initial: number; max: number };
  /** The account's job budget; default the one shared by every upload through `client`. */
  jobBudget?: JobBudget;
}

/** What the jobs reported. */
export interface UploadReport {
  jobIds: string[];
  /** Codes a job reported as failed, with Klaviyo's reason. */
  failures: Map<string, string>;
  /** Codes whose fate the jobs did not tell (cancelled, timed out, lost submission). */
  uncertain: number;
}

/** How often an upload waiting for room in the account's budget looks again. */
const BUDGET_RECHECK_MS = 100;

function chunksOf(codes: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < codes.length; i += JOB_SIZE) chunks.push(codes.slice(i, i + JOB_SIZE));
  return chunks;
}

/** Uploads `codes` to the coupon; never throws for per-code failures, only for fatal errors. */
export async function uploadCodes(client: KlaviyoClient, req: UploadRequest): Promise<UploadReport> {
  const budget = req.jobBudget ?? jobBudgetFor(client);
  const pending = chunksOf(req.codes);
  const u: Upload = {
    client,
    req,
    poll: req.pollIntervalMs ?? DEFAULT_POLL,
    share: budget.join(req.maxConcurrentJobs, () => pending.length),
    noticeAfterMs: budget.noticeAfterMs,
    pending,
    total: pending.length,
    report: { jobIds: [], failures: new Map(), uncertain: 0 },
    inFlight: [],
    order: 0,
    done: 0,
    uploaded: 0,
    lastProgressAt: Date.now(),
    longestGap: 0,
    nextProbeAt: 0,
    lastWaitNoticeAt: 0,
  };
  say(u, true);
  try {
    while (u.pending.length > 0 || u.inFlight.length > 0) await step(u);
  } finally {
    u.share.leave();
  }
  say(u, true);
  return u.report;
}

/** One turn of the upload: a poll, a round of submissions, a probe, or a sleep until one is due. */
async function step(u: Upload): Promise<void> {
  // Sweep: poll the head while it is due; a finished head makes the next one due at once.
  const head = headOf(u);
  if (head && head.nextPollAt <= Date.now()) {
    if (await pollOne(u, head)) sweepFrom(u);
    return;
  }
  const slow = u.inFlight.find((j) => j.slow && j.nextPollAt <= Date.now());
  if (slow) {
    await pollOne(u, slow);
    return;
  }
  if (await submitReady(u)) return;
  const now = Date.now();
  const probe = head && now > stalledAt(u) && now >= u.nextProbeAt ? probeTarget(u, head) : undefined;
  if (head && probe) {
    u.nextProbeAt = now + u.poll.max;
    if (await pollOne(u, probe)) {
      // A younger job finished first: set the head aside and sweep on from the next one.
      head.slow = true;
      head.interval = u.poll.max;
      head.nextPollAt = Date.now() + head.interval;
      sweepFrom(u);
    }
    return;
  }
  // Only the head and slow jobs have a schedule; the others wait for a sweep or a probe.
  let wakeAt = head ? head.nextPollAt : Infinity;
  for (const job of u.inFlight) if (job.slow) wakeAt = Math.min(wakeAt, job.nextPollAt);
  if (head && probeTarget(u, head)) wakeAt = Math.min(wakeAt, Math.max(u.nextProbeAt, stalledAt(u) + 1));
  if (wantedSlots(u) > 0) wakeAt = Math.min(wakeAt, now + BUDGET_RECHECK_MS);
  await sleep(Math.max(5, wakeAt - now));
}

function wantedSlots(u: Upload): number {
  return Math.min(u.req.maxConcurrentJobs - u.inFlight.length, u.pending.length);
}

/** Submits as many chunks as this upload and the account's budget allow; false when none. */
async function submitReady(u: Upload): Promise<boolean> {
  const want = wantedSlots(u);
  const granted = want > 0 ? u.share.take(want) : 0;
  noteWaiting(u, want > 0 && granted === 0);
  if (granted === 0) return false;
  await Promise.all(u.pending.splice(0, granted).map((chunk) => submit(u, chunk, u.order++)));
  return true;
}

/** Says why an upload with nothing outstanding waits; gives up when Klaviyo refused jobs for too long. */
function noteWaiting(u: Upload, blocked: boolean): void {
  const now = Date.now();
  const fullSince = u.share.fullSince();
  if (blocked && fullSince !== undefined && now - fullSince > u.req.jobTimeoutMs) {
    throw new Error(
      `Klaviyo refused every new bulk job for ${Math.round((now - fullSince) / 1000)}s because the ` +
        `account's queue stayed full (at most ${KLAVIYO_QUEUED_JOB_LIMIT} jobs queued at once; another ` +
        `process or stack is using it)`,
    );
  }
  if (!blocked || u.inFlight.length > 0) {
    u.waitingSince = undefined;
    return;
  }
  u.waitingSince ??= now;
  if (now - u.waitingSince >= u.noticeAfterMs && now - u.lastWaitNoticeAt >= 3 * u.noticeAfterMs) {
    u.lastWaitNoticeAt = now;
    u.req.progress.update(u.share.waitReason(), true);
  }
}

async function submit(u: Upload, chunk: string[], position: number): Promise<void> {
  let job: BulkCreateJob;
  try {
    job = await u.client.bulkCreateCouponCodes(
      chunk.map((code) => ({
        couponId: u.req.couponId,
        unique_code: code,
        expires_at: u.req.expiresAt ?? null,
      })),
    );
  } catch (err) {
    if (isQueueLimitRefusal(err)) {
      // Refused before any code was created, so sending the chunk again cannot duplicate anything.
      u.share.refused();
      u.pending.unshift(chunk);
      return;
    }
    u.share.release();
    // A lost response may still have queued the job: the caller's listing decides.
    if (isKlaviyoError(err) && err.outcomeUnknown) {
      u.report.uncertain += chunk.length;
      u.done++;
      return;
    }
    throw err;
  }
  u.share.accepted();
  u.report.jobIds.push(job.id);
  track(u, job.id, chunk, position);
}
