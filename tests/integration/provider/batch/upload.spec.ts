import { strict as assert } from "assert";
import { listCouponCodes } from "../../../../provider/batch/listing";
import { uploadCodes, type UploadResult } from "../../../../provider/batch/upload";
import { createKlaviyoClient, type KlaviyoClient } from "../../../../provider/client";
import { createProgress } from "../../../../provider/batch/progress";
import { useTestEmulator } from "../../../../testkit/emulator";
import { makeCodes } from "../../../../testkit/batchTestKit";

const JOBS = "/api/coupon-code-bulk-create-jobs";

/** A client whose view of our outstanding jobs (accepted, not yet seen finished) peaks at `peak()`. */
function observedClient(client: KlaviyoClient): { client: KlaviyoClient; peak: () => number } {
  let outstanding = 0;
  let peak = 0;
  const finished = new Set<string>();
  return {
    peak: () => peak,
    client: {
      ...client,
      async bulkCreateCouponCodes(codes) {
        const job = await client.bulkCreateCouponCodes(codes);
        peak = Math.max(peak, ++outstanding);
        return job;
      },
      async getBulkCreateCouponCodesJob(id, opts) {
        const result = await client.getBulkCreateCouponCodesJob(id, opts);
        const status = result.data.attributes.status;
        if ((status === "complete" || status === "cancelled") && !finished.has(id)) {
          finished.add(id);
          outstanding--;
        }
        return result;
      },
    },
  };
}

// Several batches uploading at once from one process, as one provider host runs the CouponCodeBatch
// handlers of a `pulumi up` concurrently (issue 11, item 8). Jobs stay queued for 1.5 s, so every
// submission of the first round is queued at once, as with Klaviyo under load.
describe("parallel uploads of one account (job queue limit)", function () {
  this.timeout(180_000);
  const refusalDetails: string[] = [];
  const emulator = useTestEmulator({
    jobs: { queuedMs: 1500 },
    onResponse(info) {
      if (info.operationId === "bulk_create_coupon_codes" && info.status === 400) {
        refusalDetails.push((info.body as { errors: Array<{ detail: string }> }).errors[0].detail);
      }
    },
  });
  beforeEach(() => {
    refusalDetails.length = 0;
  });

  function client(): KlaviyoClient {
    return createKlaviyoClient({ apiKey: emulator().apiKey, baseUrl: emulator().url });
  }

  /** Creates `count` coupons and uploads `perBatch` codes to each, all batches at once. */
  async function uploadInParallel(
    uploader: KlaviyoClient,
    count: number,
    perBatch: number,
  ): Promise<{ batches: Array<{ couponId: string; codes: string[] }>; reports: UploadResult[] }> {
    const batches = Array.from({ length: count }, (_, i) => ({
      couponId: `PAR${i}`,
      codes: makeCodes(`P${i}-`, perBatch),
    }));
    for (const b of batches) await uploader.createCoupon({ external_id: b.couponId });
    const reports = await Promise.all(
      batches.map((b) =>
        uploadCodes(uploader, {
          couponId: b.couponId,
          codes: b.codes,
          maxConcurrentJobs: 25,
          jobTimeoutMs: 120_000,
          progress: createProgress(b.couponId, () => undefined),
        }),
      ),
    );
    return { batches, reports };
  }

  async function assertEachExactly(batches: Array<{ couponId: string; codes: string[] }>): Promise<void> {
    for (const b of batches) {
      const live = await listCouponCodes(client(), b.couponId);
      assert.equal(live.size, b.codes.length, `coupon ${b.couponId}`);
      assert.ok(
        b.codes.every((c) => live.has(c)),
        `coupon ${b.couponId} lacks codes`,
      );
    }
  }

  const refusals = () =>
    emulator()
      .control.requestLog()
      .filter((r) => r.method === "POST" && r.path === JOBS && r.status === 400).length;

  it("keeps five batches of 25 jobs each (125 > 100) within the account's queue: nothing is refused", async () => {
    // Queued long enough that all 125 submissions arrive while the first ones still wait.
    emulator().control.configure({ jobs: { queuedMs: 3000 } });
    const observed = observedClient(client());
    const { batches, reports } = await uploadInParallel(observed.client, 5, 25_000);
    assert.equal(refusals(), 0, `refused: ${refusalDetails[0]}`);
    assert.ok(observed.peak() <= 90, `${observed.peak()} jobs outstanding at once`);
    assert.ok(observed.peak() > 25, "the batches did not run in parallel");
    for (const r of reports) {
      assert.equal(r.jobIds.length, 25);
      assert.equal(r.failures.size, 0);
      assert.equal(r.uncertain, 0);
    }
    await assertEachExactly(batches);
  });

  it("absorbs refusals when the account's queue is smaller (another process holds the rest) and converges", async () => {
    // The emulator refuses the 21st active job, as Klaviyo refuses the 101st.
    emulator().control.configure({ limits: { maxActiveJobs: 20 } });
    const { batches, reports } = await uploadInParallel(client(), 5, 6_000);
    assert.ok(refusals() > 0, "the emulator never refused a job: the test does not test anything");
    assert.match(refusalDetails[0], /^Max number of jobs queued at once we allow for is 20;/);
    for (const r of reports) {
      assert.equal(r.jobIds.length, 6, "a refused chunk was not submitted again exactly once");
      assert.equal(r.failures.size, 0, "a refusal was counted as failed codes");
      assert.equal(r.uncertain, 0);
    }
    await assertEachExactly(batches);
  });
});
