import { strict as assert } from "assert";
import { listCouponCodes } from "../../../../provider/batch/listing";
import { uploadCodes } from "../../../../provider/batch/upload";
import { createKlaviyoClient, klaviyoError, type KlaviyoClient } from "../../../../provider/client";
import { sleep } from "../../../../testkit/sleep";
import {
  accountJobBudget,
  createJobBudget,
  isQueueLimitRefusal,
  JOB_BUDGET,
  jobBudgetFor,
  KLAVIYO_QUEUED_JOB_LIMIT,
} from "../../../../provider/batch/jobBudget";
import { createProgress } from "../../../../provider/batch/progress";
import { useTestEmulator } from "../../../../testkit/emulator";
import { makeCodes } from "../../../../testkit/batchTestKit";

const JOBS = "/api/coupon-code-bulk-create-jobs";

describe("job budget (one account's queue of bulk jobs)", () => {
  it("keeps a margin below Klaviyo's limit of 100 queued jobs", () => {
    assert.equal(KLAVIYO_QUEUED_JOB_LIMIT, 100);
    assert.equal(JOB_BUDGET, 90);
    assert.equal(createJobBudget().capacity(), 90);
  });

  it("never grants more than the limit across uploads, each within its own cap", () => {
    const budget = createJobBudget({ limit: 90 });
    const shares = Array.from({ length: 5 }, () => budget.join(25, () => 100));
    const granted = shares.map((s) => s.take(25));
    assert.ok(granted.every((g) => g <= 25));
    assert.equal(budget.outstanding(), 90);
    assert.deepEqual(
      shares.map((s) => s.take(25)),
      [0, 0, 0, 0, 0],
    );
  });

  it("gives a batch that starts later its fair share as the first one's jobs finish", () => {
    const budget = createJobBudget({ limit: 30 });
    let firstPending = 100;
    const first = budget.join(25, () => firstPending);
    assert.equal(first.take(25), 25);
    firstPending -= 25;
    const second = budget.join(25, () => 100);
    assert.equal(second.take(25), 5, "only the free capacity");
    first.release(10); // the first batch is over its share of 15: freed slots go to the second
    assert.equal(first.take(10), 0);
    assert.equal(second.take(25), 10);
    assert.deepEqual([first.held(), second.held()], [15, 15]);
    second.leave();
    assert.equal(budget.outstanding(), 15);
    assert.equal(first.take(10), 10, "capacity left by a finished batch is taken up again");
  });

  it("shares unused capacity: a small batch does not hold back a large one", () => {
    const budget = createJobBudget({ limit: 90 });
    let smallPending = 2;
    const small = budget.join(25, () => smallPending);
    const large = budget.join(100, () => 500);
    assert.equal(small.take(2), 2);
    smallPending = 0;
    assert.equal(large.take(100), 88);
  });

  it("after a refusal: capacity drops to what is held, every upload pauses once per burst, then recovers", async () => {
    const budget = createJobBudget({ limit: 20, backoffMs: { initial: 50, max: 200 } });
    const a = budget.join(25, () => 100);
    const b = budget.join(25, () => 100);
    assert.equal(a.take(10), 10);
    assert.equal(b.take(10), 10);
    a.refused();
    b.refused(); // same burst: one pause, not two
    assert.equal(budget.capacity(), 18);
    assert.equal(a.fullSince() !== undefined, true);
    assert.match(a.waitReason(), /queue is full \(at most 100 queued at once; another process/);
    assert.equal(a.take(1), 0, "no submission during the pause");
    assert.equal(b.take(1), 0);
    await sleep(60);
    a.release(1);
    assert.equal(a.take(5), 1, "only up to the learned capacity");
    a.accepted();
    assert.equal(a.fullSince(), undefined);
    assert.equal(budget.capacity(), 19, "grows back by one per accepted job once refusals stop");
  });

  it("doubles the pause while refusals go on, up to its maximum", async () => {
    const budget = createJobBudget({ limit: 5, backoffMs: { initial: 50, max: 100 } });
    const a = budget.join(5, () => 10);
    const pauses: number[] = [];
    for (let i = 0; i < 3; i++) {
      assert.equal(a.take(1), 1);
      a.refused();
      const start = Date.now();
      while (a.take(1) === 0) await sleep(2);
      a.release(1);
      pauses.push(Date.now() - start);
    }
    assert.ok(pauses[0] >= 45 && pauses[0] < 95, `pauses ${pauses}`);
    assert.ok(pauses[1] >= 95 && pauses[2] >= 95 && pauses[2] < 190, `pauses ${pauses}`);
    assert.equal(budget.capacity(), 1, "at least one job may always be tried");
  });

  it("is one per client, and one per API key and base URL", () => {
    const make = () => createKlaviyoClient({ apiKey: "pk_test", baseUrl: "http://127.0.0.1:1" });
    const client = make();
    assert.equal(jobBudgetFor(client), jobBudgetFor(client));
    assert.notEqual(jobBudgetFor(client), jobBudgetFor(make()));
    assert.equal(
      accountJobBudget("pk_a", "https://a.klaviyo.com"),
      accountJobBudget("pk_a", "https://a.klaviyo.com/"),
    );
    assert.notEqual(
      accountJobBudget("pk_a", "https://a.klaviyo.com"),
      accountJobBudget("pk_b", "https://a.klaviyo.com"),
    );
  });

  it("recognises the queue-limit refusal by its code or by Klaviyo's wording, and nothing else", () => {
    const base = { method: "POST", path: JOBS, title: "Invalid input." };
    const real = klaviyoError({
      ...base,
      status: 400,
      code: "invalid",
      detail: "Max number of jobs queued at once we allow for is 100.",
    });
    assert.ok(isQueueLimitRefusal(real));
    assert.ok(
      isQueueLimitRefusal(klaviyoError({ ...base, status: 400, code: "job_limit_exceeded", detail: "" })),
    );
    const tooMany = klaviyoError({
      ...base,
      status: 400,
      code: "invalid",
      detail: "Max number of coupon codes per job we allow for is 1000.",
    });
    assert.ok(!isQueueLimitRefusal(tooMany));
    assert.ok(!isQueueLimitRefusal(klaviyoError({ ...real, status: 503 })));
    assert.ok(!isQueueLimitRefusal(klaviyoError({ ...real, outcomeUnknown: true })));
    assert.ok(!isQueueLimitRefusal(new Error("Max number of jobs queued at once")));
  });
});

describe("job budget against the emulator", function () {
  this.timeout(60_000);
  const emulator = useTestEmulator({ jobs: { queuedMs: 1000 } });
  const client = (): KlaviyoClient =>
    createKlaviyoClient({ apiKey: emulator().apiKey, baseUrl: emulator().url });
  const refusals = () =>
    emulator()
      .control.requestLog()
      .filter((r) => r.method === "POST" && r.path === JOBS && r.status === 400).length;

  /** Fills the account's queue the way another process would. */
  async function otherProcessFills(jobs: number): Promise<void> {
    const other = client();
    await other.createCoupon({ external_id: "OTHER" });
    for (let i = 0; i < jobs; i++) {
      await other.bulkCreateCouponCodes([{ couponId: "OTHER", unique_code: `OTHER-${i}` }]);
    }
  }

  it("answers the emulator's refusal the way Klaviyo words it, and recognises it", async () => {
    emulator().control.configure({ limits: { maxActiveJobs: 1 } });
    await otherProcessFills(1);
    const err = await client()
      .bulkCreateCouponCodes([{ couponId: "OTHER", unique_code: "MORE" }])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isQueueLimitRefusal(err), String(err));
    assert.match((err as Error).message, /400 .*Max number of jobs queued at once we allow for is 1;/);
  });

  it("keeps parallel uploads within a smaller budget: not one submission refused", async () => {
    emulator().control.configure({ limits: { maxActiveJobs: 20 } });
    const uploader = client();
    const jobBudget = createJobBudget({ limit: 18 });
    const coupons = ["SB0", "SB1", "SB2", "SB3"];
    for (const c of coupons) await uploader.createCoupon({ external_id: c });
    const progress = createProgress("x", () => undefined);
    const reports = await Promise.all(
      coupons.map((couponId) =>
        uploadCodes(uploader, {
          couponId,
          codes: makeCodes(`${couponId}-`, 8000),
          maxConcurrentJobs: 25,
          jobTimeoutMs: 60_000,
          progress,
          jobBudget,
        }),
      ),
    );
    assert.equal(refusals(), 0);
    assert.deepEqual(
      reports.map((r) => [r.jobIds.length, r.failures.size, r.uncertain]),
      coupons.map(() => [8, 0, 0]),
    );
    assert.equal(jobBudget.outstanding(), 0, "every slot was given back");
  });

  it("waits while another process fills the queue, says so, and submits when room frees up", async () => {
    emulator().control.configure({ limits: { maxActiveJobs: 5 } });
    await otherProcessFills(5);
    const uploader = client();
    await uploader.createCoupon({ external_id: "WAIT" });
    const lines: string[] = [];
    const codes = makeCodes("W-", 3000);
    const report = await uploadCodes(uploader, {
      couponId: "WAIT",
      codes,
      maxConcurrentJobs: 25,
      jobTimeoutMs: 60_000,
      progress: createProgress("coupon WAIT", (line) => lines.push(line)),
      jobBudget: createJobBudget({ backoffMs: { initial: 100, max: 400 }, noticeAfterMs: 300 }),
    });
    assert.ok(refusals() > 0);
    assert.ok(
      lines.some((l) => /coupon WAIT: Klaviyo refuses new bulk jobs: the account's queue is full/.test(l)),
      lines.join("\n"),
    );
    assert.deepEqual([report.jobIds.length, report.failures.size, report.uncertain], [3, 0, 0]);
    const live = await listCouponCodes(uploader, "WAIT");
    assert.deepEqual([...live.keys()].sort(), codes);
  });

  it("gives up, naming the cause, when the queue stays full for longer than the job timeout", async () => {
    emulator().control.configure({ limits: { maxActiveJobs: 2 }, jobs: { queuedMs: 60_000 } });
    await otherProcessFills(2);
    const uploader = client();
    await uploader.createCoupon({ external_id: "STUCK" });
    await assert.rejects(
      uploadCodes(uploader, {
        couponId: "STUCK",
        codes: makeCodes("S-", 10),
        maxConcurrentJobs: 25,
        jobTimeoutMs: 1000,
        progress: createProgress("x", () => undefined),
        jobBudget: createJobBudget({ backoffMs: { initial: 100, max: 200 } }),
      }),
      /Klaviyo refused every new bulk job for \d+s because the account's queue stayed full/,
    );
  });
});
