/**
 * When to poll the bulk-create jobs of an upload: the polling half of the upload's schedule
 * (`uploadSchedule.ts`). Pure: no I/O, no timers; times come from the caller.
 *
 * Polling spends the L-tier budget (75/s, 750/min, shared with the submissions) sparingly: Klaviyo
 * works through an account's jobs in submission order, so only the oldest outstanding job (the head)
 * is polled, on a short backoff; when it is done, the next one is polled at once (jobs finish in
 * waves), and the sweep stops at the first one still running. Younger jobs are probed only when
 * nothing has finished for much longer than usual; if a probe finds one done, the head is evidently
 * slow, so it is set aside and polled on its own slower backoff while the sweep goes on with the next
 * job. A job leaving the list (finished, cancelled, timed out) gives its slot back to the account's
 * job budget.
 */
import type { Chunk, UploadSchedule } from "./uploadSchedule";
import { UPLOAD_TUNING } from "./uploadTuning";

/** A submitted job. */
export interface InFlight {
  jobId: string;
  /** Submission order: jobs are processed (and polled) oldest first. */
  order: number;
  /** Consecutive polls that failed even after the client's own retries. */
  pollFailures: number;
  chunk: Chunk;
  submittedAt: number;
  /** When this job may be polled next (as the head, or as a job set aside). */
  nextPollAt: number;
  interval: number;
  /** Last time this job was polled (its submission time before that). */
  lastPolledAt: number;
  /** Set aside after younger jobs finished first: polled on its own backoff, not as the head. */
  slow: boolean;
}

/** Why a job is polled: it is the head, it was set aside as slow, or it is probed past a stalled head. */
export type PollRole = "head" | "slow" | "probe";

/** Records an accepted job; the list stays in submission order. */
export function track(s: UploadSchedule, jobId: string, chunk: Chunk, position: number, now: number): void {
  const entry: InFlight = {
    pollFailures: 0,
    jobId,
    order: position,
    chunk,
    submittedAt: now,
    nextPollAt: now + s.poll.initial,
    interval: s.poll.initial,
    lastPolledAt: now,
    slow: false,
  };
  let i = s.inFlight.length;
  while (i > 0 && s.inFlight[i - 1].order > position) i--;
  s.inFlight.splice(i, 0, entry);
}

/** The oldest job not set aside: the only one polled on the regular schedule. */
export function headOf(s: UploadSchedule): InFlight | undefined {
  return s.inFlight.find((j) => !j.slow);
}

/** The poll still finds `job` running: back off, more slowly once nothing is left to submit. */
export function afterRunning(s: UploadSchedule, job: InFlight, now: number): void {
  const cap = job.slow
    ? s.poll.max * UPLOAD_TUNING.slowPollFactor
    : s.pending.length > 0
      ? s.poll.max
      : tailInterval(s);
  job.interval = Math.min(job.interval * UPLOAD_TUNING.pollBackoffFactor, cap);
  job.nextPollAt = now + job.interval;
}

/** The poll failed (the client already retried): back off faster, as for an outage. */
export function afterPollFailure(s: UploadSchedule, job: InFlight, now: number): void {
  job.interval = Math.min(
    job.interval * UPLOAD_TUNING.pollFailureBackoffFactor,
    s.poll.max * UPLOAD_TUNING.slowPollFactor,
  );
  job.nextPollAt = now + job.interval;
}

/** A job left: the new head (if any) is polled at once, from the shortest interval (jobs finish in waves). */
export function sweepFrom(s: UploadSchedule, now: number): void {
  const next = headOf(s);
  if (next) {
    next.nextPollAt = Math.min(next.nextPollAt, now);
    next.interval = s.poll.initial;
  }
}

/** A younger job finished before the head: the head is slow, so it is polled on its own backoff. */
export function setAside(s: UploadSchedule, head: InFlight, now: number): void {
  head.slow = true;
  head.interval = s.poll.max;
  head.nextPollAt = now + head.interval;
}

/** The job to probe past a stalled head now, if any (the least recently polled younger one). */
export function probeDue(s: UploadSchedule, now: number): { job: InFlight; head: InFlight } | undefined {
  const head = headOf(s);
  if (!head || now <= stalledAt(s) || now < s.nextProbeAt) return undefined;
  const job = probeTarget(s, head);
  return job && { job, head };
}

/** When a poll or a probe is next due (Infinity when none is). */
export function wakeAt(s: UploadSchedule): number {
  const head = headOf(s);
  let wake = head ? head.nextPollAt : Infinity;
  // Only the head and slow jobs have a schedule; the others wait for a sweep or a probe.
  for (const job of s.inFlight) if (job.slow) wake = Math.min(wake, job.nextPollAt);
  if (head && probeTarget(s, head)) wake = Math.min(wake, Math.max(s.nextProbeAt, stalledAt(s) + 1));
  return wake;
}

// Once everything is submitted, every ms between the last job finishing and us noticing it is wall
// time, so the head is polled faster: a fraction of the longest gap seen between completions, within
// the poll bounds. Before that, work queued at Klaviyo hides the lag.
function tailInterval(s: UploadSchedule): number {
  return Math.min(s.poll.max, Math.max(s.poll.initial, s.longestGap / UPLOAD_TUNING.tailGapDivisor));
}

// Nothing has finished for much longer than the usual gap between completions: the head may be
// stuck or slow while younger jobs are done.
function stalledAt(s: UploadSchedule): number {
  const { pollMaxima, longestGaps } = UPLOAD_TUNING.stall;
  return s.lastProgressAt + Math.max(pollMaxima * s.poll.max, longestGaps * s.longestGap);
}

function probeTarget(s: UploadSchedule, head: InFlight): InFlight | undefined {
  let best: InFlight | undefined;
  for (const job of s.inFlight) {
    if (job === head || job.slow) continue;
    if (!best || job.lastPolledAt < best.lastPolledAt) best = job;
  }
  return best;
}
