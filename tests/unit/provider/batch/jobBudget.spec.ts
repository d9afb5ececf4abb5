import { strict as assert } from "assert";
import { createJobBudget, JOB_BUDGET, KLAVIYO_QUEUED_JOB_LIMIT } from "../../../../provider/batch/jobBudget";
import { UPLOAD_TUNING } from "../../../../provider/batch/uploadTuning";

describe("job budget on a fake clock", () => {
  it("takes its defaults from the upload tuning", () => {
    assert.equal(JOB_BUDGET, UPLOAD_TUNING.jobBudget);
    assert.equal(KLAVIYO_QUEUED_JOB_LIMIT, UPLOAD_TUNING.klaviyoQueuedJobLimit);
    const budget = createJobBudget();
    assert.equal(budget.capacity(), 90);
    assert.equal(budget.noticeAfterMs, 10_000);
  });

  it("pauses every submission 1 s after a refusal, doubling up to 15 s; an accepted job resets it", () => {
    let now = 1_000_000;
    const budget = createJobBudget({ limit: 5, now: () => now });
    const share = budget.join(5, () => 10);
    /** Refuses one submission, then returns how long takes are refused. */
    const pauseAfterRefusal = (): number => {
      assert.equal(share.take(1), 1);
      share.refused();
      const start = now;
      while (share.take(1) === 0) now += 250;
      share.release(1);
      return now - start;
    };
    const pauses = Array.from({ length: 6 }, pauseAfterRefusal);
    assert.deepEqual(pauses, [1000, 2000, 4000, 8000, 15_000, 15_000]);
    share.accepted();
    assert.equal(share.fullSince(), undefined);
    assert.equal(pauseAfterRefusal(), 1000);
  });

  it("says how long the account's queue has been full", () => {
    let now = 0;
    const share = createJobBudget({ now: () => now }).join(25, () => 1);
    share.take(1);
    share.refused();
    now += 42_000;
    assert.match(share.waitReason(), /queue is full .*waiting for room, 42s so far$/);
  });
});
