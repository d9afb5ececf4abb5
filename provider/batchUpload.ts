/**
 * Uploading codes through Klaviyo's asynchronous bulk-create jobs.
 *
 * Codes go in jobs of at most 1000; up to `maxConcurrentJobs` jobs are outstanding at once so
 * Klaviyo always has queued work. Polling spends the L-tier budget (75/s, 750/min, shared with the
 * submissions) sparingly: Klaviyo works through an account's jobs in submission order, so only the
 * oldest outstanding job (the head) is polled, on a short backoff; when it is done, the next one is
 * polled at once (jobs finish in waves), and the sweep stops at the first one still running. Younger
 * jobs are probed only when nothing has finished for much longer than usual; if a probe finds one
 * done, the head is evidently slow, so it is set aside and polled on its own slower backoff while the
 * sweep goes on with the next job.
 * This module only reports what the jobs said: the caller reconciles with a listing afterwards, which
 * is the truth for cancelled jobs, timeouts and lost responses.
 *
 * Calls: POST /api/coupon-code-bulk-create-jobs, GET /api/coupon-code-bulk-create-jobs/{id}.
 */
import { isKlaviyoError, type BulkCreateJob, type KlaviyoClient } from "./client";
import { sleep } from "./concurrency";
import type { Progress } from "./progress";

/** Klaviyo's limit of codes per bulk-create job. */
export const JOB_SIZE = 1000;

/** What to upload and how. */
export interface UploadRequest {
  couponId: string;
  codes: readonly string[];
  expiresAt?: string | null;
  maxConcurrentJobs: number;
  jobTimeoutMs: number;
  progress: Progress;
  /** Polling cadence; tests and benchmarks may tighten it. */
  pollIntervalMs?: { initial: number; max: number };
}

/** What the jobs reported. */
export interface UploadReport {
  jobIds: string[];
  /** Codes a job reported as failed, with Klaviyo's reason. */
  failures: Map<string, string>;
  /** Codes whose fate the jobs did not tell (cancelled, timed out, lost submission). */
  uncertain: number;
}

interface InFlight {
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

/** Default polling cadence of the head job: first poll, then x1.5 per miss up to `max`. */
const DEFAULT_POLL = { initial: 250, max: 1000 };

/** Failed poll rounds (each already retried by the client) tolerated per job before giving up. */
const MAX_POLL_FAILURES = 3;

function isTransient(err: unknown): boolean {
  return isKlaviyoError(err) && (err.status === 0 || err.status === 429 || err.status >= 500);
}

const ITEM_POINTER = /coupon-codes\/data\/(\d+)/;

function chunksOf(codes: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < codes.length; i += JOB_SIZE) chunks.push(codes.slice(i, i + JOB_SIZE));
  return chunks;
}

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
    failures.set(code, [err.title, err.detail].filter(Boolean).join(": "));
    counted++;
  }
  return counted;
}

/** Uploads `codes` to the coupon; never throws for per-code failures, only for fatal errors. */
export async function uploadCodes(client: KlaviyoClient, req: UploadRequest): Promise<UploadReport> {
  const pending = chunksOf(req.codes);
  const total = pending.length;
  const poll = req.pollIntervalMs ?? DEFAULT_POLL;
  const report: UploadReport = { jobIds: [], failures: new Map(), uncertain: 0 };
  const inFlight: InFlight[] = []; // kept in submission order
  let order = 0;
  let done = 0;
  let uploaded = 0;
  let lastProgressAt = Date.now();
  let longestGap = 0;
  let nextProbeAt = 0;
  const say = (force = false) =>
    req.progress.update(`${done}/${total} jobs done, ${uploaded}/${req.codes.length} codes uploaded`, force);

  const remove = (job: InFlight) => {
    inFlight.splice(inFlight.indexOf(job), 1);
    done++;
    const now = Date.now();
    longestGap = Math.max(longestGap, now - lastProgressAt);
    lastProgressAt = now;
  };

  const submit = async (chunk: string[], position: number) => {
    try {
      const job = await client.bulkCreateCouponCodes(
        chunk.map((code) => ({
          couponId: req.couponId,
          unique_code: code,
          expires_at: req.expiresAt ?? null,
        })),
      );
      report.jobIds.push(job.id);
      const now = Date.now();
      const entry: InFlight = {
        pollFailures: 0,
        jobId: job.id,
        order: position,
        chunk,
        submittedAt: now,
        nextPollAt: now + poll.initial,
        interval: poll.initial,
        lastPolledAt: now,
        slow: false,
      };
      let i = inFlight.length;
      while (i > 0 && inFlight[i - 1].order > position) i--;
      inFlight.splice(i, 0, entry);
    } catch (err) {
      // A lost response may still have queued the job: the caller's listing decides.
      if (isKlaviyoError(err) && err.outcomeUnknown) {
        report.uncertain += chunk.length;
        done++;
        return;
      }
      throw err;
    }
  };

  const finish = (job: InFlight, result: BulkCreateJob) => {
    remove(job);
    if (result.attributes.status === "cancelled") {
      report.uncertain += job.chunk.length;
    } else {
      const failed = recordJobErrors(result, job.chunk, report.failures);
      uploaded += job.chunk.length - failed;
    }
    say();
  };

  /** Polls one job; true when it left the in-flight list (finished, cancelled or timed out). */
  const pollOne = async (job: InFlight): Promise<boolean> => {
    let data: BulkCreateJob;
    job.lastPolledAt = Date.now();
    try {
      ({ data } = await client.getBulkCreateCouponCodesJob(job.jobId));
      job.pollFailures = 0;
    } catch (err) {
      // Polling is idempotent: a passing outage must not abandon jobs that are still running.
      if (!isTransient(err) || ++job.pollFailures >= MAX_POLL_FAILURES) throw err;
      job.interval = Math.min(job.interval * 2, poll.max * 4);
      job.nextPollAt = Date.now() + job.interval;
      return false;
    }
    if (data.attributes.status === "complete" || data.attributes.status === "cancelled") {
      finish(job, data);
      return true;
    }
    if (Date.now() - job.submittedAt > req.jobTimeoutMs) {
      remove(job);
      report.uncertain += job.chunk.length;
      req.progress.update(
        `job ${job.jobId} did not finish within ${req.jobTimeoutMs / 1000}s; will verify its codes`,
        true,
      );
      return true;
    }
    const cap = job.slow ? poll.max * 4 : pending.length > 0 ? poll.max : tailInterval();
    job.interval = Math.min(job.interval * 1.5, cap);
    job.nextPollAt = Date.now() + job.interval;
    return false;
  };

  // Once everything is submitted, every ms between the last job finishing and us noticing it is
  // wall time, so the head is polled faster: a twentieth of the longest gap seen between
  // completions, within [initial, max]. Before that, work queued at Klaviyo hides the lag.
  const tailInterval = () => Math.min(poll.max, Math.max(poll.initial, longestGap / 20));
  // Nothing has finished for much longer than the usual gap between completions: the head may be
  // stuck or slow while younger jobs are done, so probe the one least recently polled.
  const stalledAt = () => lastProgressAt + Math.max(4 * poll.max, 2 * longestGap);
  const headOf = () => inFlight.find((j) => !j.slow);
  const probeTarget = (head: InFlight): InFlight | undefined => {
    let best: InFlight | undefined;
    for (const job of inFlight) {
      if (job === head || job.slow) continue;
      if (!best || job.lastPolledAt < best.lastPolledAt) best = job;
    }
    return best;
  };
  const sweepFrom = () => {
    const next = headOf();
    if (next) {
      next.nextPollAt = Math.min(next.nextPollAt, Date.now());
      next.interval = poll.initial;
    }
  };

  say(true);
  while (pending.length > 0 || inFlight.length > 0) {
    // Sweep: poll the head while it is due; a finished head makes the next one due at once.
    const head = headOf();
    if (head && head.nextPollAt <= Date.now()) {
      if (await pollOne(head)) sweepFrom();
      continue;
    }
    const slow = inFlight.find((j) => j.slow && j.nextPollAt <= Date.now());
    if (slow) {
      await pollOne(slow);
      continue;
    }
    const slots = req.maxConcurrentJobs - inFlight.length;
    if (slots > 0 && pending.length > 0) {
      await Promise.all(pending.splice(0, slots).map((chunk) => submit(chunk, order++)));
      continue;
    }
    if (inFlight.length === 0) continue;
    const now = Date.now();
    const probe = head && now > stalledAt() && now >= nextProbeAt ? probeTarget(head) : undefined;
    if (head && probe) {
      nextProbeAt = now + poll.max;
      if (await pollOne(probe)) {
        // A younger job finished first: set the head aside and sweep on from the next one.
        head.slow = true;
        head.interval = poll.max;
        head.nextPollAt = Date.now() + head.interval;
        sweepFrom();
      }
      continue;
    }
    // Only the head and slow jobs have a schedule; the others wait for a sweep or a probe.
    let wakeAt = head ? head.nextPollAt : Infinity;
    for (const job of inFlight) if (job.slow) wakeAt = Math.min(wakeAt, job.nextPollAt);
    if (head && probeTarget(head)) wakeAt = Math.min(wakeAt, Math.max(nextProbeAt, stalledAt() + 1));
    await sleep(Math.max(5, wakeAt - now));
  }
  say(true);
  return report;
}
