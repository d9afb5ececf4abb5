/**
 * Uploading codes through Klaviyo's asynchronous bulk-create jobs.
 *
 * Codes go in jobs of at most 1000; up to `maxConcurrentJobs` jobs are outstanding at once so
 * Klaviyo always has queued work; jobs are polled oldest first with backoff, inside the
 * client's rate limits. This module only reports what the jobs said: the caller reconciles with
 * a listing afterwards, which is the truth for cancelled jobs, timeouts and lost responses.
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
  /** Consecutive polls that failed even after the client's own retries. */
  pollFailures: number;
  chunk: readonly string[];
  submittedAt: number;
  nextPollAt: number;
  interval: number;
}

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
  const poll = req.pollIntervalMs ?? { initial: 300, max: 3000 };
  const report: UploadReport = { jobIds: [], failures: new Map(), uncertain: 0 };
  const inFlight: InFlight[] = [];
  let done = 0;
  let uploaded = 0;
  const say = (force = false) =>
    req.progress.update(`${done}/${total} jobs done, ${uploaded}/${req.codes.length} codes uploaded`, force);

  const submit = async (chunk: string[]) => {
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
      inFlight.push({
        pollFailures: 0,
        jobId: job.id,
        chunk,
        submittedAt: now,
        nextPollAt: now + poll.initial,
        interval: poll.initial,
      });
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
    inFlight.splice(inFlight.indexOf(job), 1);
    done++;
    if (result.attributes.status === "cancelled") {
      report.uncertain += job.chunk.length;
    } else {
      const failed = recordJobErrors(result, job.chunk, report.failures);
      uploaded += job.chunk.length - failed;
    }
    say();
  };

  const pollOne = async (job: InFlight): Promise<boolean> => {
    let data: BulkCreateJob;
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
      inFlight.splice(inFlight.indexOf(job), 1);
      report.uncertain += job.chunk.length;
      done++;
      req.progress.update(
        `job ${job.jobId} did not finish within ${req.jobTimeoutMs / 1000}s; will verify its codes`,
        true,
      );
      return true;
    }
    job.interval = Math.min(job.interval * 1.5, poll.max);
    job.nextPollAt = Date.now() + job.interval;
    return false;
  };

  say(true);
  while (pending.length > 0 || inFlight.length > 0) {
    const slots = req.maxConcurrentJobs - inFlight.length;
    if (slots > 0 && pending.length > 0) {
      await Promise.all(pending.splice(0, slots).map(submit));
      continue;
    }
    // Jobs finish roughly in submission order, so sweep from the oldest while they are done.
    inFlight.sort((a, b) => a.submittedAt - b.submittedAt);
    const due = inFlight.filter((j) => j.nextPollAt <= Date.now());
    if (due.length === 0) {
      const wait = Math.min(...inFlight.map((j) => j.nextPollAt)) - Date.now();
      await sleep(Math.max(10, wait));
      continue;
    }
    // Jobs usually finish in submission order; a second miss ends the sweep so polls stay
    // within the rate budget, while one probe past the oldest avoids stalling behind a slow job.
    let misses = 0;
    for (const job of due) {
      if (!(await pollOne(job)) && ++misses >= 2) break;
      if (pending.length > 0 && inFlight.length < req.maxConcurrentJobs) break; // refill first
    }
  }
  say(true);
  return report;
}
