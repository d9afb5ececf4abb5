/**
 * Uploading codes through Klaviyo's asynchronous bulk-create jobs.
 *
 * Every decision (jobs of at most 1000 codes, how many outstanding, which job to poll and when,
 * resubmitting a chunk the account's full queue refused, when to give up) is the pure schedule's
 * (`uploadSchedule.ts`, with `jobPolling.ts`; the constants are in `uploadTuning.ts`). This module only
 * performs its actions against the client, the account's shared job budget (`jobBudget.ts`) and the
 * clock, and feeds back what happened.
 * It only reports what the jobs said, the codes they created included: the caller reconciles with a
 * listing afterwards unless the jobs accounted for every code, since the listing is the truth for
 * cancelled jobs, timeouts and lost responses.
 *
 * Calls: POST /api/coupon-code-bulk-create-jobs, GET /api/coupon-code-bulk-create-jobs/{id}.
 */
import {
  isKlaviyoError,
  titleAndDetail,
  type BulkCreateJob,
  type CouponCode,
  type KlaviyoClient,
} from "../client";
import { sleep } from "../concurrency";
import { isQueueLimitRefusal, jobBudgetFor, type JobBudget, type JobShare } from "./jobBudget";
import {
  createSchedule,
  onEvent,
  type Chunk,
  type UploadAction,
  type UploadEvent,
  type UploadReport,
  type UploadSchedule,
} from "./uploadSchedule";
import { UPLOAD_TUNING } from "./uploadTuning";
import type { Progress } from "./progress";
import { codeReader, toCodeCreate, type LiveCode } from "./mappers";

/**
 * What an upload reports: what the jobs said failed and what they could not tell (the schedule's report),
 * and the codes finished jobs listed as created, with what Klaviyo says about each.
 */
export interface UploadResult extends UploadReport {
  /** Codes the finished jobs returned as created (`include=coupon-codes`), by code. */
  created: Map<string, LiveCode>;
}

/** Klaviyo's limit of codes per bulk-create job. */
export const JOB_SIZE = UPLOAD_TUNING.jobSize;

/** What to upload and how. */
export interface UploadRequest {
  couponId: string;
  codes: readonly string[];
  expiresAt?: string | null;
  /** Jobs this upload keeps outstanding at most (within the account's shared budget). */
  maxConcurrentJobs: number;
  jobTimeoutMs: number;
  progress: Progress;
  /** Polling cadence; tests and benchmarks may tighten it. */
  pollIntervalMs?: { initial: number; max: number };
  /** The account's job budget; default the one shared by every upload through `client`. */
  jobBudget?: JobBudget;
}

/** One upload in progress: the schedule and what performs its actions. */
interface Run {
  client: KlaviyoClient;
  req: UploadRequest;
  schedule: UploadSchedule;
  share: JobShare;
  finished: boolean;
  created: Map<string, LiveCode>;
  readCode: ReturnType<typeof codeReader>;
}

/** Uploads `codes` to the coupon; never throws for per-code failures, only for fatal errors. */
export async function uploadCodes(client: KlaviyoClient, req: UploadRequest): Promise<UploadResult> {
  const budget = req.jobBudget ?? jobBudgetFor(client);
  const opts = {
    codes: req.codes,
    maxConcurrentJobs: req.maxConcurrentJobs,
    jobTimeoutMs: req.jobTimeoutMs,
    poll: req.pollIntervalMs,
    noticeAfterMs: budget.noticeAfterMs,
  };
  const schedule = createSchedule(opts, Date.now());
  const share = budget.join(req.maxConcurrentJobs, () => schedule.pending.length);
  const run: Run = {
    client,
    req,
    schedule,
    share,
    finished: false,
    created: new Map(),
    readCode: codeReader(),
  };
  try {
    // The first turn runs before this function first yields: parallel uploads take slots in call order.
    for (let turn: "start" | "tick" = "start"; !run.finished; turn = "tick") {
      await feed(run, { type: turn, now: Date.now() });
    }
  } finally {
    share.leave();
  }
  return { ...schedule.report, created: run.created };
}

/** Feeds an event to the schedule and performs its answer. */
function feed(run: Run, event: UploadEvent, cause?: unknown): Promise<void> {
  return perform(run, onEvent(run.schedule, event), cause);
}

/**
 * Performs actions in order; `cause` is the error behind the event that asked for them. Actions without
 * I/O are performed at once, without yielding, as the account's budget sees every change in order.
 */
async function perform(run: Run, actions: UploadAction[], cause?: unknown): Promise<void> {
  for (const action of actions) {
    const io = performOne(run, action, cause);
    if (io) await io;
  }
}

/** Performs one action, feeding back its outcome; a promise when it waits for I/O or the clock. */
function performOne(run: Run, action: UploadAction, cause: unknown): Promise<unknown> | undefined {
  switch (action.type) {
    case "poll":
      return poll(run, action.jobId, action.chunk);
    case "takeSlots": {
      const granted = run.share.take(action.want);
      return feed(run, { type: "slotsGranted", now: Date.now(), granted, fullSince: run.share.fullSince() });
    }
    case "submit":
      return Promise.all(action.jobs.map((job) => submit(run, job.chunk, job.position)));
    case "wait":
      return sleep(action.ms);
    case "budget":
      run.share[action.op]();
      return undefined;
    case "progress":
      run.req.progress.update(action.message, action.force);
      return undefined;
    case "sayWaiting":
      run.req.progress.update(run.share.waitReason(), true);
      return undefined;
    case "stop":
      throw action.message === undefined && cause !== undefined
        ? cause
        : new Error(action.message ?? "upload stopped");
    case "finished":
      run.finished = true;
      return undefined;
  }
}

async function submit(run: Run, chunk: Chunk, position: number): Promise<void> {
  const { couponId, expiresAt } = run.req;
  let job: BulkCreateJob;
  try {
    job = await run.client.bulkCreateCouponCodes(
      chunk.map((code) => toCodeCreate(couponId, code, expiresAt)),
    );
  } catch (err) {
    const type = isQueueLimitRefusal(err)
      ? "queueFull"
      : isKlaviyoError(err) && err.outcomeUnknown
        ? "submissionLost"
        : "submissionFailed";
    await feed(run, { type, now: Date.now(), chunk }, err);
    return;
  }
  await feed(run, { type: "jobSubmitted", now: Date.now(), chunk, position, jobId: job.id });
}

// Each poll asks for the job's created codes: the one that finds the job complete then tells which codes
// exist without another request, so a clean upload needs no listing afterwards (see `converge`).
async function poll(run: Run, jobId: string, chunk: Chunk): Promise<void> {
  let data: BulkCreateJob;
  let included: CouponCode[] | undefined;
  try {
    ({ data, included } = await run.client.getBulkCreateCouponCodesJob(jobId, { includeCodes: true }));
  } catch (err) {
    return feed(run, { type: "pollFailed", now: Date.now(), jobId, transient: isTransient(err) }, err);
  }
  const { status } = data.attributes;
  if (status === "complete") {
    for (const item of included ?? []) {
      const read = run.readCode(item);
      if (read) run.created.set(read.code, read.live);
    }
  }
  return feed(run, { type: "jobStatus", now: Date.now(), jobId, status, failures: jobErrors(data, chunk) });
}

function isTransient(err: unknown): boolean {
  return isKlaviyoError(err) && (err.status === 0 || err.status === 429 || err.status >= 500);
}

const ITEM_POINTER = /coupon-codes\/data\/(\d+)/;

/** The codes of `chunk` a job reported as failed, with Klaviyo's reason. */
function jobErrors(job: BulkCreateJob, chunk: Chunk): Array<[string, string]> {
  const failures: Array<[string, string]> = [];
  for (const err of job.attributes.errors ?? []) {
    const match = ITEM_POINTER.exec(err.source?.pointer ?? "");
    const code = match ? chunk[Number(match[1])] : undefined;
    if (code !== undefined) failures.push([code, titleAndDetail(err.title, err.detail)]);
  }
  return failures;
}
