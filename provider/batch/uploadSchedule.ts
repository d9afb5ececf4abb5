/**
 * The scheduling decisions of an upload (`upload.ts`) as a pure state machine: no I/O, no timers, no
 * client. The uploader feeds it events (a clock tick, the slots the account's job budget granted, the
 * outcome of a submission, the status of a job) and performs the actions it answers with (poll a job, ask
 * the budget for slots, submit chunks, wait, tell the budget, print progress, stop), feeding the results
 * back. Time is only what the events say (`now`), so tests drive it on a fake clock.
 *
 * What it decides: codes go in jobs of {@link UPLOAD_TUNING}`.jobSize`; at most `maxConcurrentJobs` jobs
 * of the upload are outstanding, within what the account's budget (`jobBudget.ts`) grants; jobs are
 * polled oldest first with backoff (`jobPolling.ts`); a submission refused because the account's queue
 * is full goes back to the front and is submitted again when the budget allows (never counted as
 * failed); a job that outlives the job timeout is given up on (its codes are uncertain, for the caller's
 * listing to settle); the upload stops when the account's queue stayed full for longer than the timeout.
 */
import {
  afterPollFailure,
  afterRunning,
  headOf,
  probeDue,
  setAside,
  sweepFrom,
  track,
  wakeAt,
  type InFlight,
  type PollRole,
} from "./jobPolling";
import { UPLOAD_TUNING } from "./uploadTuning";

/** The codes of one job. */
export type Chunk = readonly string[];

/** What the jobs reported. */
export interface UploadReport {
  jobIds: string[];
  /** Codes a job reported as failed, with Klaviyo's reason. */
  failures: Map<string, string>;
  /** Codes whose fate the jobs did not tell (cancelled, timed out, lost submission). */
  uncertain: number;
}

/** What to schedule. Jobs time out after `jobTimeoutMs`; an account's queue may stay full as long. */
export interface ScheduleOptions {
  codes: readonly string[];
  maxConcurrentJobs: number;
  jobTimeoutMs: number;
  poll?: { initial: number; max: number };
  noticeAfterMs?: number;
}

/** The state of one upload; only {@link onEvent} changes it. */
export interface UploadSchedule {
  readonly maxConcurrentJobs: number;
  readonly jobTimeoutMs: number;
  readonly poll: { readonly initial: number; readonly max: number };
  readonly noticeAfterMs: number;
  readonly totalJobs: number;
  readonly totalCodes: number;
  /** Chunks not submitted yet (refused ones come back to the front). */
  pending: Chunk[];
  /** Accepted jobs, in submission order. */
  inFlight: InFlight[];
  report: UploadReport;
  /** The submission order of the next chunk submitted. */
  nextPosition: number;
  done: number;
  uploaded: number;
  lastProgressAt: number;
  longestGap: number;
  nextProbeAt: number;
  /** Since when this upload has had chunks to submit, no room and no job of its own outstanding. */
  waitingSince?: number;
  lastWaitNoticeAt: number;
  /** The poll being performed, and the head it looked past when it is a probe. */
  polling?: { jobId: string; role: PollRole; head?: InFlight };
}

/** What happened; `now` is the clock when it did. `start` is the first turn, `tick` every later one. */
export type UploadEvent =
  | { type: "start" | "tick"; now: number }
  | { type: "slotsGranted"; now: number; granted: number; fullSince: number | undefined }
  | { type: "jobSubmitted"; now: number; chunk: Chunk; position: number; jobId: string }
  | { type: "queueFull" | "submissionLost" | "submissionFailed"; now: number; chunk: Chunk }
  | {
      type: "jobStatus";
      now: number;
      jobId: string;
      status: string;
      /** Codes the job reported as failed, with Klaviyo's reason. */
      failures: ReadonlyArray<readonly [string, string]>;
    }
  | { type: "pollFailed"; now: number; jobId: string; transient: boolean };

/** What to do next, in order. */
export type UploadAction =
  | { type: "poll"; jobId: string; chunk: Chunk }
  | { type: "takeSlots"; want: number }
  | { type: "submit"; jobs: Array<{ chunk: Chunk; position: number }> }
  | { type: "wait"; ms: number }
  | { type: "budget"; op: "accepted" | "refused" | "release" }
  | { type: "progress"; message: string; force: boolean }
  | { type: "sayWaiting" }
  /** Stop the upload: with `message`, or with the error behind the event when there is none. */
  | { type: "stop"; message?: string }
  | { type: "finished" };

/** Splits codes into jobs of at most `size` (Klaviyo's limit by default). */
export function chunksOf(codes: readonly string[], size: number = UPLOAD_TUNING.jobSize): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = 0; i < codes.length; i += size) chunks.push(codes.slice(i, i + size));
  return chunks;
}

/** A new schedule at `now`; its first event is `start`. */
export function createSchedule(opts: ScheduleOptions, now: number): UploadSchedule {
  const pending = chunksOf(opts.codes);
  return {
    maxConcurrentJobs: opts.maxConcurrentJobs,
    jobTimeoutMs: opts.jobTimeoutMs,
    poll: opts.poll ?? UPLOAD_TUNING.poll,
    noticeAfterMs: opts.noticeAfterMs ?? UPLOAD_TUNING.waitNoticeAfterMs,
    totalJobs: pending.length,
    totalCodes: opts.codes.length,
    pending,
    inFlight: [],
    report: { jobIds: [], failures: new Map(), uncertain: 0 },
    nextPosition: 0,
    done: 0,
    uploaded: 0,
    lastProgressAt: now,
    longestGap: 0,
    nextProbeAt: 0,
    lastWaitNoticeAt: 0,
  };
}

/** Applies an event and answers what to do next. */
export function onEvent(s: UploadSchedule, e: UploadEvent): UploadAction[] {
  switch (e.type) {
    case "start":
      // Nothing to upload (every code exists already): no "0/0 jobs done" lines.
      return s.totalCodes === 0 ? [{ type: "finished" }] : [progress(s, true), ...onTick(s, e.now)];
    case "tick":
      return onTick(s, e.now);
    case "slotsGranted":
      return onSlots(s, e.now, e.granted, e.fullSince);
    case "jobSubmitted":
      s.report.jobIds.push(e.jobId);
      track(s, e.jobId, e.chunk, e.position, e.now);
      return [{ type: "budget", op: "accepted" }];
    case "queueFull":
      // Refused before any code was created, so sending the chunk again cannot duplicate anything.
      s.pending.unshift(e.chunk);
      return [{ type: "budget", op: "refused" }];
    case "submissionLost":
      // A lost response may still have queued the job: the caller's listing decides.
      s.report.uncertain += e.chunk.length;
      s.done++;
      return [{ type: "budget", op: "release" }];
    case "submissionFailed":
      return [{ type: "budget", op: "release" }, { type: "stop" }];
    case "jobStatus":
      return onStatus(s, e.now, e.jobId, e.status, e.failures);
    case "pollFailed":
      return onPollFailed(s, e.now, e.jobId, e.transient);
  }
}

/** Jobs this upload would submit now, before asking the budget. */
export function wantedSlots(s: UploadSchedule): number {
  return Math.min(s.maxConcurrentJobs - s.inFlight.length, s.pending.length);
}

/** The progress line: jobs and codes done so far. */
export function progress(s: UploadSchedule, force = false): UploadAction {
  const message = `${s.done}/${s.totalJobs} jobs done, ${s.uploaded}/${s.totalCodes} codes uploaded`;
  return { type: "progress", message, force };
}

// One turn: a due poll (the head, then a job set aside), else a round of submissions, else a probe or a
// wait until one of them is due.
function onTick(s: UploadSchedule, now: number): UploadAction[] {
  if (s.pending.length === 0 && s.inFlight.length === 0) return [progress(s, true), { type: "finished" }];
  const head = headOf(s);
  if (head && head.nextPollAt <= now) return [poll(s, head, "head", now)];
  const slow = s.inFlight.find((j) => j.slow && j.nextPollAt <= now);
  if (slow) return [poll(s, slow, "slow", now)];
  const want = wantedSlots(s);
  if (want > 0) return [{ type: "takeSlots", want }];
  s.waitingSince = undefined;
  return probeOrWait(s, now);
}

function onSlots(s: UploadSchedule, now: number, granted: number, fullSince?: number): UploadAction[] {
  const blocked = granted === 0;
  if (blocked && fullSince !== undefined && now - fullSince > s.jobTimeoutMs) {
    return [{ type: "stop", message: queueFullMessage(now - fullSince) }];
  }
  const notice = noteWaiting(s, now, blocked);
  if (blocked) return [...notice, ...probeOrWait(s, now)];
  const jobs = s.pending.splice(0, granted).map((chunk) => ({ chunk, position: s.nextPosition++ }));
  return [...notice, { type: "submit", jobs }];
}

function queueFullMessage(ms: number): string {
  return (
    `Klaviyo refused every new bulk job for ${Math.round(ms / 1000)}s because the account's queue ` +
    `stayed full (at most ${UPLOAD_TUNING.klaviyoQueuedJobLimit} jobs queued at once; another process ` +
    `or stack is using it)`
  );
}

/** Says why an upload with nothing outstanding waits, after a while and then now and again. */
function noteWaiting(s: UploadSchedule, now: number, blocked: boolean): UploadAction[] {
  if (!blocked || s.inFlight.length > 0) {
    s.waitingSince = undefined;
    return [];
  }
  s.waitingSince ??= now;
  const quiet = now - s.lastWaitNoticeAt >= UPLOAD_TUNING.waitNoticeRepeatFactor * s.noticeAfterMs;
  if (now - s.waitingSince < s.noticeAfterMs || !quiet) return [];
  s.lastWaitNoticeAt = now;
  return [{ type: "sayWaiting" }];
}

function probeOrWait(s: UploadSchedule, now: number): UploadAction[] {
  const probe = probeDue(s, now);
  if (probe) {
    s.nextProbeAt = now + s.poll.max;
    return [poll(s, probe.job, "probe", now, probe.head)];
  }
  const wake = Math.min(wakeAt(s), wantedSlots(s) > 0 ? now + UPLOAD_TUNING.budgetRecheckMs : Infinity);
  return [{ type: "wait", ms: Math.max(UPLOAD_TUNING.minWaitMs, wake - now) }];
}

function poll(s: UploadSchedule, job: InFlight, role: PollRole, now: number, head?: InFlight): UploadAction {
  job.lastPolledAt = now;
  s.polling = { jobId: job.jobId, role, head };
  return { type: "poll", jobId: job.jobId, chunk: job.chunk };
}

/** The job a poll answered for, and why it was polled (the loop is serial: one poll at a time). */
function polled(s: UploadSchedule, jobId: string): { job?: InFlight; role?: PollRole; head?: InFlight } {
  const polling = s.polling?.jobId === jobId ? s.polling : undefined;
  s.polling = undefined;
  return { job: s.inFlight.find((j) => j.jobId === jobId), role: polling?.role, head: polling?.head };
}

function onStatus(
  s: UploadSchedule,
  now: number,
  jobId: string,
  status: string,
  failures: ReadonlyArray<readonly [string, string]>,
): UploadAction[] {
  const { job, role, head } = polled(s, jobId);
  if (!job) return [];
  job.pollFailures = 0;
  let actions: UploadAction[];
  if (status === "complete" || status === "cancelled") {
    actions = remove(s, job, now);
    if (status === "cancelled") {
      s.report.uncertain += job.chunk.length;
    } else {
      for (const [code, reason] of failures) s.report.failures.set(code, reason);
      s.uploaded += job.chunk.length - failures.length;
    }
    actions.push(progress(s));
  } else if (now - job.submittedAt > s.jobTimeoutMs) {
    actions = remove(s, job, now);
    s.report.uncertain += job.chunk.length;
    const message = `job ${job.jobId} did not finish within ${s.jobTimeoutMs / 1000}s; will verify its codes`;
    actions.push({ type: "progress", message, force: true });
  } else {
    afterRunning(s, job, now);
    return [];
  }
  // A younger job finished first: the head is evidently slow, so it is set aside.
  if (role === "probe" && head) setAside(s, head, now);
  if (role !== "slow") sweepFrom(s, now);
  return actions;
}

function onPollFailed(s: UploadSchedule, now: number, jobId: string, transient: boolean): UploadAction[] {
  const { job } = polled(s, jobId);
  if (!job) return [];
  // Polling is idempotent: a passing outage must not abandon jobs that are still running.
  if (!transient || ++job.pollFailures >= UPLOAD_TUNING.maxPollFailures) return [{ type: "stop" }];
  afterPollFailure(s, job, now);
  return [];
}

/** The job left Klaviyo's queue (or we stopped waiting for it): its slot goes back to the budget. */
function remove(s: UploadSchedule, job: InFlight, now: number): UploadAction[] {
  s.inFlight.splice(s.inFlight.indexOf(job), 1);
  s.done++;
  s.longestGap = Math.max(s.longestGap, now - s.lastProgressAt);
  s.lastProgressAt = now;
  return [{ type: "budget", op: "release" }];
}
