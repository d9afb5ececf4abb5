import { strict as assert } from "assert";
import { chunksOf, onEvent, wantedSlots } from "../../../../provider/batch/uploadSchedule";
import { UPLOAD_TUNING } from "../../../../provider/batch/uploadTuning";
import { makeCodes } from "../../../../testkit/batchTestKit";
import {
  answer,
  kinds,
  pollDue,
  scheduleOf,
  startAndSubmit,
  submitGranted,
  T0,
  the,
  wakeAfter,
} from "./scheduleDriver";

const sizes = (chunks: ReadonlyArray<readonly string[]>) => chunks.map((c) => c.length);

describe("upload schedule: jobs, slots and the account's queue (pure, fake clock)", () => {
  it("keeps its constants where the tests of Klaviyo's limits expect them", () => {
    assert.equal(UPLOAD_TUNING.jobSize, 1000);
    assert.equal(UPLOAD_TUNING.klaviyoQueuedJobLimit, 100);
    assert.equal(UPLOAD_TUNING.jobBudget, 90);
    assert.deepEqual(UPLOAD_TUNING.poll, { initial: 250, max: 1000 });
  });

  const chunking: Array<[number, number[]]> = [
    [0, []],
    [1, [1]],
    [999, [999]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]],
    [100_000, Array(100).fill(1000)],
  ];
  for (const [count, expected] of chunking) {
    it(`splits ${count} codes into ${expected.length} jobs of at most 1000, in order`, () => {
      const s = scheduleOf(count);
      assert.deepEqual(sizes(s.pending), expected);
      assert.deepEqual(s.pending.flat(), makeCodes("C", count), "in order, nothing lost");
      assert.deepEqual(sizes(chunksOf(makeCodes("C", count))), expected);
    });
  }

  it("submits 2,500 codes as 3 jobs of 1000/1000/500 in order, after an opening progress line", () => {
    const s = scheduleOf(2500);
    const start = onEvent(s, { type: "start", now: T0 });
    assert.deepEqual(start, [
      { type: "progress", message: "0/3 jobs done, 0/2500 codes uploaded", force: true },
      { type: "takeSlots", want: 3 },
    ]);
    const submit = the(
      onEvent(s, { type: "slotsGranted", now: T0, granted: 3, fullSince: undefined }),
      "submit",
    );
    assert.deepEqual(sizes(submit.jobs.map((j) => j.chunk)), [1000, 1000, 500]);
    assert.deepEqual(
      submit.jobs.map((j) => [j.position, j.chunk[0]]),
      [
        [0, "C000000"],
        [1, "C001000"],
        [2, "C002000"],
      ],
    );
    assert.equal(s.pending.length, 0);
  });

  it("keeps at most maxConcurrentJobs jobs outstanding, and takes a slot again as each one finishes", () => {
    const s = scheduleOf(5000, { maxConcurrentJobs: 2 });
    assert.deepEqual(startAndSubmit(s, 2), ["J0", "J1"]);
    assert.equal(wantedSlots(s), 0);
    // Nothing is due and no slot is wanted: it waits for the head's first poll, without asking the budget.
    assert.equal(wakeAfter(s, T0 + 10), T0 + 250);
    assert.equal(pollDue(s, T0 + 250), "J0");
    assert.deepEqual(kinds(answer(s, "J0", "complete", T0 + 260)), ["budget", "progress"]);
    assert.deepEqual(onEvent(s, { type: "tick", now: T0 + 260 }), [
      { type: "poll", jobId: "J1", chunk: s.inFlight[0].chunk },
    ]);
    assert.deepEqual(kinds(answer(s, "J1", "processing", T0 + 270)), []);
    assert.deepEqual(onEvent(s, { type: "tick", now: T0 + 270 }), [{ type: "takeSlots", want: 1 }]);
    assert.deepEqual(submitGranted(s, 1, T0 + 270), ["J2"]);
    assert.equal(s.inFlight.length, 2);
  });

  it("submits only what the account's budget grants, and asks again every 100 ms for the rest", () => {
    const s = scheduleOf(5000, { maxConcurrentJobs: 4 });
    assert.deepEqual(startAndSubmit(s, 1), ["J0"]);
    assert.deepEqual(onEvent(s, { type: "tick", now: T0 + 10 }), [{ type: "takeSlots", want: 3 }]);
    const blocked = onEvent(s, { type: "slotsGranted", now: T0 + 10, granted: 0, fullSince: undefined });
    assert.deepEqual(blocked, [{ type: "wait", ms: UPLOAD_TUNING.budgetRecheckMs }]);
    assert.deepEqual(submitGranted(s, 2, T0 + 110), ["J1", "J2"]);
    assert.equal(wantedSlots(s), 1);
  });

  it("queue full: the chunk goes back to the front, is never counted, and is submitted again when room comes", () => {
    const s = scheduleOf(3000);
    the(onEvent(s, { type: "start", now: T0 }), "takeSlots");
    const { jobs } = the(
      onEvent(s, { type: "slotsGranted", now: T0, granted: 3, fullSince: undefined }),
      "submit",
    );
    onEvent(s, { type: "jobSubmitted", now: T0 + 30, chunk: jobs[0].chunk, position: 0, jobId: "J0" });
    const refused = onEvent(s, { type: "queueFull", now: T0 + 30, chunk: jobs[1].chunk });
    assert.deepEqual(refused, [{ type: "budget", op: "refused" }]);
    onEvent(s, { type: "jobSubmitted", now: T0 + 31, chunk: jobs[2].chunk, position: 2, jobId: "J2" });
    assert.deepEqual(s.pending, [jobs[1].chunk]);
    // The budget pauses the account after a refusal: no slot, so the upload looks again shortly.
    assert.deepEqual(onEvent(s, { type: "tick", now: T0 + 40 }), [{ type: "takeSlots", want: 1 }]);
    const paused = onEvent(s, { type: "slotsGranted", now: T0 + 40, granted: 0, fullSince: T0 + 30 });
    assert.deepEqual(paused, [{ type: "wait", ms: 100 }]);
    const again = the(
      onEvent(s, { type: "slotsGranted", now: T0 + 1100, granted: 1, fullSince: T0 + 30 }),
      "submit",
    );
    assert.deepEqual(again.jobs, [{ chunk: jobs[1].chunk, position: 3 }]);
    assert.deepEqual([s.report.uncertain, s.report.failures.size, s.done], [0, 0, 0]);
  });

  it("says why it waits once nothing of its own is outstanding for 10 s, then at most every 30 s", () => {
    const s = scheduleOf(1000);
    the(onEvent(s, { type: "start", now: T0 }), "takeSlots");
    const notices: number[] = [];
    for (let t = T0; t <= T0 + 45_000; t += 100) {
      const actions = onEvent(s, { type: "slotsGranted", now: t, granted: 0, fullSince: undefined });
      if (kinds(actions).includes("sayWaiting")) notices.push(t - T0);
    }
    assert.deepEqual(notices, [10_000, 40_000]);
  });

  const giveUp: Array<[string, number, string[]]> = [
    ["full for as long as the job timeout waits", 1000, ["wait"]],
    ["full for longer stops, keeping what was done", 1001, ["stop"]],
  ];
  for (const [when, elapsed, expected] of giveUp) {
    it(`budget exhausted: an account's queue ${when}`, () => {
      const s = scheduleOf(3000, { jobTimeoutMs: 1000 });
      assert.deepEqual(startAndSubmit(s, 1), ["J0"]);
      assert.equal(pollDue(s, T0 + 250), "J0");
      answer(s, "J0", "complete", T0 + 250);
      const fullSince = T0 + 300;
      const actions = onEvent(s, { type: "slotsGranted", now: fullSince + elapsed, granted: 0, fullSince });
      assert.deepEqual(kinds(actions), expected);
      if (expected[0] !== "stop") return;
      const stop = the(actions, "stop");
      assert.match(
        stop.message!,
        /^Klaviyo refused every new bulk job for 1s because the account's queue stayed full \(at most 100 jobs queued at once/,
      );
      // The partial result: one job done and reported, two chunks never submitted.
      assert.deepEqual([s.report.jobIds, s.uploaded, s.done, s.pending.length], [["J0"], 1000, 1, 2]);
    });
  }

  it("a lost submission: its codes are uncertain, its slot goes back, and it is never sent again", () => {
    const s = scheduleOf(2000);
    the(onEvent(s, { type: "start", now: T0 }), "takeSlots");
    const { jobs } = the(
      onEvent(s, { type: "slotsGranted", now: T0, granted: 2, fullSince: undefined }),
      "submit",
    );
    assert.deepEqual(onEvent(s, { type: "submissionLost", now: T0 + 30, chunk: jobs[0].chunk }), [
      { type: "budget", op: "release" },
    ]);
    assert.deepEqual([s.report.uncertain, s.done, s.pending.length], [1000, 1, 0]);
    const failed = onEvent(s, { type: "submissionFailed", now: T0 + 30, chunk: jobs[1].chunk });
    assert.deepEqual(failed, [{ type: "budget", op: "release" }, { type: "stop" }]);
  });

  it("reports failed codes of a complete job and the codes of a cancelled one as uncertain", () => {
    const s = scheduleOf(2000);
    startAndSubmit(s, 2);
    pollDue(s, T0 + 250);
    const failures = [["C000003", "Coupon code creation failed: taken"] as const];
    const done = onEvent(s, { type: "jobStatus", now: T0 + 260, jobId: "J0", status: "complete", failures });
    assert.deepEqual(done, [
      { type: "budget", op: "release" },
      { type: "progress", message: "1/2 jobs done, 999/2000 codes uploaded", force: false },
    ]);
    assert.equal(pollDue(s, T0 + 260), "J1");
    assert.deepEqual(kinds(answer(s, "J1", "cancelled", T0 + 270)), ["budget", "progress"]);
    assert.deepEqual([[...s.report.failures], s.report.uncertain, s.uploaded], [failures, 1000, 999]);
  });

  it("finishes with a last forced progress line once nothing is pending or outstanding", () => {
    const s = scheduleOf(1000);
    startAndSubmit(s, 1);
    pollDue(s, T0 + 250);
    answer(s, "J0", "complete", T0 + 300);
    assert.deepEqual(onEvent(s, { type: "tick", now: T0 + 300 }), [
      { type: "progress", message: "1/1 jobs done, 1000/1000 codes uploaded", force: true },
      { type: "finished" },
    ]);
  });

  it("finishes at once without a progress line when there is nothing to upload", () => {
    const empty = scheduleOf(0);
    assert.deepEqual(kinds(onEvent(empty, { type: "start", now: T0 })), ["finished"]);
  });
});
