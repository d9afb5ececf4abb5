import { strict as assert } from "assert";
import { onEvent, type UploadAction } from "../../../../provider/batch/uploadSchedule";
import {
  answer,
  kinds,
  pollDue,
  pollGaps,
  scheduleOf,
  startAndSubmit,
  T0,
  the,
  wakeAfter,
} from "./scheduleDriver";

describe("upload schedule: polling the jobs (pure, fake clock)", () => {
  it("polls only the oldest job, in submission order whatever order the submissions were accepted in", () => {
    const s = scheduleOf(3000);
    the(onEvent(s, { type: "start", now: T0 }), "takeSlots");
    const { jobs } = the(
      onEvent(s, { type: "slotsGranted", now: T0, granted: 3, fullSince: undefined }),
      "submit",
    );
    for (const [i, at] of [
      [2, 30],
      [0, 40],
      [1, 50],
    ]) {
      onEvent(s, { type: "jobSubmitted", now: T0 + at, chunk: jobs[i].chunk, position: i, jobId: `J${i}` });
    }
    assert.deepEqual(
      s.inFlight.map((j) => j.jobId),
      ["J0", "J1", "J2"],
    );
    // J2 was accepted first and J1 falls due at the same time, but only the head is polled.
    assert.equal(wakeAfter(s, T0 + 60), T0 + 290);
    assert.equal(pollDue(s, T0 + 290), "J0");
    assert.deepEqual(answer(s, "J0", "processing", T0 + 300), []);
    assert.equal(wakeAfter(s, T0 + 300), T0 + 550);
    // The head finishes: the next job is polled at once, and the sweep stops at the first one running.
    assert.equal(pollDue(s, T0 + 550), "J0");
    answer(s, "J0", "complete", T0 + 560);
    assert.equal(pollDue(s, T0 + 560), "J1");
    answer(s, "J1", "complete", T0 + 570);
    assert.equal(pollDue(s, T0 + 570), "J2");
    answer(s, "J2", "processing", T0 + 580);
    assert.equal(wakeAfter(s, T0 + 580), T0 + 830);
  });

  it("backs off x1.5 per poll that finds the head running, up to 1 s, while chunks wait to be submitted", () => {
    const s = scheduleOf(3000, { maxConcurrentJobs: 1 });
    startAndSubmit(s, 1);
    assert.deepEqual(pollGaps(s, "J0", T0, 7), [250, 375, 562.5, 843.75, 1000, 1000, 1000]);
  });

  it("honours a tighter polling cadence (tests and benchmarks)", () => {
    const s = scheduleOf(3000, { maxConcurrentJobs: 1, poll: { initial: 20, max: 50 } });
    startAndSubmit(s, 1);
    assert.deepEqual(pollGaps(s, "J0", T0, 4), [20, 30, 45, 50]);
  });

  // Once everything is submitted, the head is polled at a twentieth of the longest gap between
  // completions, within [250 ms, 1 s]: here the first job took `gap` ms, so the second one is polled so.
  const tail: Array<[number, number[]]> = [
    [2_000, [250, 250, 250, 250]],
    [10_000, [375, 500, 500, 500]],
    [60_000, [375, 562.5, 843.75, 1000]],
  ];
  for (const [gap, expected] of tail) {
    it(`polls the last jobs every ${expected[3]} ms after a gap of ${gap / 1000} s between completions`, () => {
      const s = scheduleOf(2000, { jobTimeoutMs: 600_000 });
      startAndSubmit(s, 2);
      answer(s, "J0", "complete", T0 + gap);
      assert.equal(pollDue(s, T0 + gap), "J1");
      assert.deepEqual(answer(s, "J1", "processing", T0 + gap), []);
      assert.deepEqual(pollGaps(s, "J1", T0 + gap, 4), expected);
    });
  }

  type Outcome = "503" | "403" | "processing";
  const failures: Array<[string, Outcome[], number[], number]> = [
    ["three transient failures in a row stop the upload", ["503", "503", "503"], [500, 1000], 2],
    [
      "a success in between resets the count",
      ["503", "503", "processing", "503", "503", "503"],
      [500, 1000, 1000, 2000, 4000],
      5,
    ],
    ["a non-transient failure stops it at once", ["403"], [], 0],
  ];
  for (const [title, outcomes, expectedIntervals, stopsAt] of failures) {
    it(`failed polls back off x2 up to 4 s: ${title}`, () => {
      const s = scheduleOf(3000, { maxConcurrentJobs: 2 });
      startAndSubmit(s, 2);
      const intervals: number[] = [];
      let stoppedAt = -1;
      outcomes.forEach((outcome, i) => {
        const job = s.inFlight[0];
        const at = job.nextPollAt;
        assert.equal(pollDue(s, at), "J0");
        const actions: UploadAction[] =
          outcome === "processing"
            ? answer(s, "J0", outcome, at)
            : onEvent(s, { type: "pollFailed", now: at, jobId: "J0", transient: outcome === "503" });
        if (kinds(actions).includes("stop")) stoppedAt = i;
        else intervals.push(job.interval);
      });
      assert.deepEqual(intervals, expectedIntervals);
      assert.equal(stoppedAt, stopsAt);
    });
  }

  it("probes a younger job when the head stalls; when that one is done, sets the head aside and sweeps on", () => {
    const s = scheduleOf(3000);
    startAndSubmit(s, 3);
    // Everything is submitted and nothing has finished yet: the head is polled every 250 ms.
    assert.deepEqual(pollGaps(s, "J0", T0, 16), Array(16).fill(250));
    // Nothing finished for 4 s (four poll maxima): the least recently polled younger job is probed.
    assert.equal(pollDue(s, T0 + 4001), "J1");
    assert.deepEqual(answer(s, "J1", "processing", T0 + 4001), []);
    // The next probe waits a poll maximum, and goes to the job polled least recently.
    assert.deepEqual(pollGaps(s, "J0", T0 + 4000, 4), [250, 250, 250, 250]);
    assert.equal(s.nextProbeAt, T0 + 5001);
    assert.deepEqual(
      onEvent(s, { type: "tick", now: T0 + 5000 }),
      [{ type: "wait", ms: 5 }],
      "never less than 5 ms",
    );
    assert.equal(pollDue(s, T0 + 5001), "J2");
    assert.deepEqual(kinds(answer(s, "J2", "complete", T0 + 5001)), ["budget", "progress"]);
    const head = s.inFlight[0];
    assert.deepEqual([head.jobId, head.slow, head.nextPollAt], ["J0", true, T0 + 6001]);
    // The sweep goes on with J1 at once; J0 is polled on its own backoff, up to 4 s.
    assert.equal(pollDue(s, T0 + 5001), "J1");
    answer(s, "J1", "complete", T0 + 5001);
    const slowGaps: number[] = [];
    for (let last = T0 + 5001; slowGaps.length < 6;) {
      const at = head.nextPollAt;
      assert.equal(pollDue(s, at), "J0");
      answer(s, "J0", "processing", at);
      slowGaps.push(at - last);
      last = at;
    }
    assert.deepEqual(slowGaps, [1000, 1500, 2250, 3375, 4000, 4000]);
  });

  const timeouts: Array<[number, string[]]> = [
    [3000, []],
    [3001, ["budget", "progress"]],
  ];
  for (const [elapsed, expected] of timeouts) {
    it(`timeout: a job running ${elapsed} ms after submission ${expected.length ? "is given up on" : "is waited for"} (3 s timeout)`, () => {
      const s = scheduleOf(1000, { jobTimeoutMs: 3000 });
      startAndSubmit(s, 1);
      const actions = answer(s, "J0", "processing", T0 + elapsed);
      assert.deepEqual(kinds(actions), expected);
      if (expected.length === 0) return;
      assert.deepEqual(actions[1], {
        type: "progress",
        message: "job J0 did not finish within 3s; will verify its codes",
        force: true,
      });
      assert.deepEqual([s.report.uncertain, s.done, s.inFlight.length], [1000, 1, 0]);
      assert.deepEqual(kinds(onEvent(s, { type: "tick", now: T0 + elapsed })), ["progress", "finished"]);
    });
  }
});
