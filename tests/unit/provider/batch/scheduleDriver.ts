/**
 * Drives the pure upload schedule (`provider/batch/uploadSchedule.ts`) on a fake clock for the table
 * tests: every event carries the time the test says, and the answers are plain data.
 */
import { strict as assert } from "assert";
import {
  createSchedule,
  onEvent,
  type ScheduleOptions,
  type UploadAction,
  type UploadSchedule,
} from "../../../../provider/batch/uploadSchedule";
import { makeCodes } from "../../../../testkit/batchTestKit";

/** The fake clock's start. */
export const T0 = 1_000_000;

/** A schedule of `count` codes created at {@link T0} (25 jobs at once and a 60 s timeout by default). */
export function scheduleOf(count: number, opts: Partial<ScheduleOptions> = {}): UploadSchedule {
  return createSchedule(
    { codes: makeCodes("C", count), maxConcurrentJobs: 25, jobTimeoutMs: 60_000, ...opts },
    T0,
  );
}

/** The action of type `type` among `actions` (exactly one). */
export function the<K extends UploadAction["type"]>(
  actions: UploadAction[],
  type: K,
): Extract<UploadAction, { type: K }> {
  const found = actions.filter((a) => a.type === type);
  assert.equal(found.length, 1, `one ${type} among ${JSON.stringify(kinds(actions))}`);
  return found[0] as Extract<UploadAction, { type: K }>;
}

/** The types of `actions`, in order. */
export function kinds(actions: UploadAction[]): string[] {
  return actions.map((a) => a.type);
}

/** Starts the schedule at {@link T0}; the budget grants `granted` slots, and each job is accepted at `at`. */
export function startAndSubmit(s: UploadSchedule, granted: number, at = T0): string[] {
  const take = the(onEvent(s, { type: "start", now: T0 }), "takeSlots");
  assert.ok(take.want >= granted);
  return submitGranted(s, granted, at);
}

/** The budget grants `granted` slots at `at`; each submitted job is accepted at once as `J<position>`. */
export function submitGranted(s: UploadSchedule, granted: number, at: number): string[] {
  const submit = the(onEvent(s, { type: "slotsGranted", now: at, granted, fullSince: undefined }), "submit");
  return submit.jobs.map(({ chunk, position }) => {
    const jobId = `J${position}`;
    assert.deepEqual(onEvent(s, { type: "jobSubmitted", now: at, chunk, position, jobId }), [
      { type: "budget", op: "accepted" },
    ]);
    return jobId;
  });
}

/** A tick at `now` that must answer with a poll; returns the polled job. */
export function pollDue(s: UploadSchedule, now: number): string {
  return the(onEvent(s, { type: "tick", now }), "poll").jobId;
}

/** Answers a poll of `jobId` at `now` with `status` (no failed codes). */
export function answer(s: UploadSchedule, jobId: string, status: string, now: number): UploadAction[] {
  return onEvent(s, { type: "jobStatus", now, jobId, status, failures: [] });
}

/** When the schedule next wants to be woken (a tick at `now` that must answer with a wait). */
export function wakeAfter(s: UploadSchedule, now: number): number {
  return now + the(onEvent(s, { type: "tick", now }), "wait").ms;
}

/**
 * Polls `jobId` every time it falls due while it keeps running, `times` times, and returns the gaps
 * between the polls (the first measured from `since`).
 */
export function pollGaps(s: UploadSchedule, jobId: string, since: number, times: number): number[] {
  const gaps: number[] = [];
  let last = since;
  for (let i = 0; i < times; i++) {
    const at = s.inFlight.find((j) => j.jobId === jobId)!.nextPollAt;
    assert.equal(pollDue(s, at), jobId);
    assert.deepEqual(answer(s, jobId, "processing", at), []);
    gaps.push(at - last);
    last = at;
  }
  return gaps;
}
