import { strict as assert } from "assert";
import { uploadCodes, type UploadRequest } from "../../../../provider/batch/upload";
import { createJobBudget } from "../../../../provider/batch/jobBudget";
import { createProgress } from "../../../../provider/batch/progress";
import {
  klaviyoError,
  MAX_CODES_PER_BULK_JOB,
  type BulkCreateJob,
  type KlaviyoClient,
} from "../../../../provider/client";
import { UPLOAD_TUNING } from "../../../../provider/batch/uploadTuning";
import { makeCodes } from "../../../../testkit/batchTestKit";

const JOBS = "/api/coupon-code-bulk-create-jobs";

interface Posted {
  couponId: string;
  codes: string[];
  expiresAt: string | null | undefined;
}

/**
 * A client whose jobs are complete at their second poll. `onPost(n)` may throw for the n-th submission
 * (0-based); `onPoll` may throw for a poll; `errors` gives a job's per-item errors by job index.
 */
function stubClient(
  opts: {
    onPost?: (n: number) => void;
    onPoll?: (jobId: string) => void;
    errors?: Record<number, NonNullable<BulkCreateJob["attributes"]["errors"]>>;
  } = {},
) {
  const posted: Posted[] = [];
  const polls: string[] = [];
  const seen = new Map<string, number>();
  const client = {
    async bulkCreateCouponCodes(
      items: Array<{ couponId: string; unique_code: string; expires_at?: string | null }>,
    ) {
      const n = posted.length;
      posted.push({
        couponId: items[0].couponId,
        codes: items.map((i) => i.unique_code),
        expiresAt: items[0].expires_at,
      });
      opts.onPost?.(n);
      return { id: `J${n}`, type: "coupon-code-bulk-create-job", attributes: { status: "queued" } };
    },
    async getBulkCreateCouponCodesJob(jobId: string, pollOpts: { includeCodes?: boolean } = {}) {
      polls.push(jobId);
      opts.onPoll?.(jobId);
      const count = (seen.get(jobId) ?? 0) + 1;
      seen.set(jobId, count);
      const status = count >= 2 ? "complete" : "processing";
      const errors = status === "complete" ? (opts.errors?.[Number(jobId.slice(1))] ?? []) : [];
      const data = { id: jobId, type: "coupon-code-bulk-create-job", attributes: { status, errors } };
      if (!pollOpts.includeCodes || status !== "complete") return { data };
      // Like Klaviyo: the codes the job created, which leaves out the ones its errors point at.
      const job = posted[Number(jobId.slice(1))];
      const failed = new Set(errors.map((e) => Number(/(\d+)$/.exec(e.source?.pointer ?? "")?.[1])));
      const included = job.codes
        .filter((_, i) => !failed.has(i))
        .map((code) => ({
          id: `SPRING-${code}`,
          type: "coupon-code",
          attributes: { unique_code: code, status: "UNASSIGNED", expires_at: job.expiresAt ?? null },
        }));
      return { data, included };
    },
  } as unknown as KlaviyoClient;
  return { client, posted, polls };
}

function request(codes: string[], lines: string[] = [], extra: Partial<UploadRequest> = {}): UploadRequest {
  return {
    couponId: "SPRING",
    codes,
    expiresAt: "2030-01-01T00:00:00Z",
    maxConcurrentJobs: 25,
    jobTimeoutMs: 60_000,
    progress: createProgress("coupon SPRING", (line) => lines.push(line)),
    pollIntervalMs: { initial: 2, max: 5 },
    jobBudget: createJobBudget({ backoffMs: { initial: 10, max: 20 } }),
    ...extra,
  };
}

const queueFull = () =>
  klaviyoError({
    method: "POST",
    path: JOBS,
    status: 400,
    code: "invalid",
    title: "Invalid input.",
    detail: "Max number of jobs queued at once we allow for is 100.",
  });

describe("uploadCodes (the loop that performs the schedule)", () => {
  it("sends jobs of Klaviyo's maximum size", () => {
    assert.equal(UPLOAD_TUNING.jobSize, MAX_CODES_PER_BULK_JOB);
  });

  it("uploads 2,500 codes as 3 jobs of 1000/1000/500, polls each until complete, and reports", async () => {
    const { client, posted, polls } = stubClient();
    const lines: string[] = [];
    const codes = makeCodes("S", 2500);
    const req = request(codes, lines);
    const report = await uploadCodes(client, req);
    assert.deepEqual(
      posted.map((p) => [p.couponId, p.codes.length, p.expiresAt]),
      [
        ["SPRING", 1000, "2030-01-01T00:00:00Z"],
        ["SPRING", 1000, "2030-01-01T00:00:00Z"],
        ["SPRING", 500, "2030-01-01T00:00:00Z"],
      ],
    );
    assert.deepEqual(
      posted.flatMap((p) => p.codes),
      codes,
    );
    assert.deepEqual([...new Set(polls)], ["J0", "J1", "J2"], "oldest first");
    const { created, ...told } = report;
    assert.deepEqual(told, { jobIds: ["J0", "J1", "J2"], failures: new Map(), uncertain: 0 });
    assert.deepEqual([...created.keys()], codes, "the codes the finished jobs returned");
    assert.deepEqual(created.get(codes[0]), {
      status: "UNASSIGNED",
      expiresAt: "2030-01-01T00:00:00Z",
      profileId: null,
    });
    assert.equal(lines[0], "[klaviyo] coupon SPRING: 0/3 jobs done, 0/2500 codes uploaded");
    assert.equal(lines.at(-1), "[klaviyo] coupon SPRING: 3/3 jobs done, 2500/2500 codes uploaded");
    assert.equal(req.jobBudget!.outstanding(), 0);
  });

  it("submits a chunk refused for the account's full queue again, once, and never counts it as failed", async () => {
    const { client, posted } = stubClient({
      onPost: (n) => {
        if (n === 1) throw queueFull();
      },
    });
    const report = await uploadCodes(client, request(makeCodes("Q", 3000)));
    assert.equal(posted.length, 4);
    assert.deepEqual(posted[3].codes, posted[1].codes, "the refused chunk, resubmitted");
    assert.deepEqual([report.jobIds.length, report.failures.size, report.uncertain], [3, 0, 0]);
  });

  it("counts the codes of a submission whose response was lost as uncertain, and never re-sends it", async () => {
    const lost = klaviyoError({
      method: "POST",
      path: JOBS,
      status: 0,
      title: "socket hang up",
      detail: "",
      outcomeUnknown: true,
    });
    const { client, posted } = stubClient({
      onPost: (n) => {
        if (n === 0) throw lost;
      },
    });
    const report = await uploadCodes(client, request(makeCodes("L", 2000)));
    assert.equal(posted.length, 2);
    assert.deepEqual([report.jobIds, report.uncertain], [["J1"], 1000]);
  });

  it("maps a job's per-item errors to its codes", async () => {
    const errors = [
      {
        id: "e1",
        code: "invalid",
        title: "Coupon code creation failed.",
        detail: "Coupon code S000003 already exists.",
        source: { pointer: "/data/attributes/coupon-codes/data/3" },
      },
      { id: "e2", code: "invalid", title: "Unrelated.", detail: "no pointer" },
    ];
    const { client } = stubClient({ errors: { 0: errors } });
    const report = await uploadCodes(client, request(makeCodes("S", 10)));
    assert.deepEqual(
      [...report.failures],
      [["S000003", "Coupon code creation failed: Coupon code S000003 already exists."]],
    );
  });

  it("stops with the client's own error when polling fails for good, giving every slot back", async () => {
    const forbidden = klaviyoError({
      method: "GET",
      path: `${JOBS}/J0`,
      status: 403,
      title: "Forbidden",
      detail: "",
    });
    const { client } = stubClient({
      onPoll: () => {
        throw forbidden;
      },
    });
    const req = request(makeCodes("F", 3000));
    await assert.rejects(uploadCodes(client, req), (err) => err === forbidden);
    assert.equal(req.jobBudget!.outstanding(), 0);
  });

  it("tolerates two failed polls of a job, and stops at the third", async () => {
    const unavailable = () =>
      klaviyoError({ method: "GET", path: `${JOBS}/J0`, status: 503, title: "Unavailable", detail: "" });
    let failuresLeft = 2;
    const passing = stubClient({
      onPoll: () => {
        if (failuresLeft-- > 0) throw unavailable();
      },
    });
    assert.equal((await uploadCodes(passing.client, request(makeCodes("P", 10)))).jobIds.length, 1);
    const failing = stubClient({
      onPoll: () => {
        throw unavailable();
      },
    });
    await assert.rejects(uploadCodes(failing.client, request(makeCodes("P", 10))), /failed: 503 Unavailable/);
    assert.equal(failing.polls.length, 3);
  });
});
