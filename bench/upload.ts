/**
 * Upload benchmarks: ours (a `CouponCodeBatch` create driven through the real provider host, as
 * `pulumi up` does) and the baseline (Klaviyo's official `klaviyo-api` SDK in the loop users write today:
 * submit a 1000-code job, poll it every second until it is complete, submit the next).
 */
import { ApiKeySession, CouponsApi, RetryWithExponentialBackoff } from "klaviyo-api";
import type { RequestLogEntry, RunningEmulator } from "../emulator";
import { createKlaviyoClient } from "../provider/client";
import { OPERATIONS } from "../provider/client/operations";
import type { ProviderHost } from "../testkit/harness/providerHost";
import { createCost, checkCost } from "./engineCost";
import { procMemory, resetPeakMemory, sampleRss } from "./procStats";
import { upBatch, upCoupon } from "../testkit/batchTestKit";
import { sleep } from "../testkit/sleep";
import { benchCodes, type BenchStack } from "./stack";

/** Requests the emulator saw, by operation, plus 429s. */
export type RequestCounts = Record<string, number>;

/** What one upload of ours measured. */
export interface OursUpload {
  codes: number;
  wallMs: number;
  requests: RequestCounts;
  /** Milestones relative to the start of `up` (ms). */
  phases: {
    firstSubmit: number;
    lastSubmit: number;
    lastJobDone: number;
    lastPoll: number;
    finalListingStart: number;
    finalListingEnd: number;
    finalListingPages: number;
  };
  /** Wall time of the Check and Create RPCs as the engine simulator saw them. */
  rpc: { checkMs: number; createMs: number };
  /** Replayed simulator-side protobuf work of those RPCs (not present with the Go engine). */
  engineSideMs: number;
  host?: { rssBefore: number; maxSampled: number; hwm: number; hwmReset: boolean };
  state: { name: string };
}

/** Counts the emulator's request log entries by operationId (and `429` for rate-limited ones). */
function countRequests(emulator: RunningEmulator): RequestCounts {
  const counts: RequestCounts = {};
  for (const entry of emulator.control.requestLog()) {
    counts[entry.operationId] = (counts[entry.operationId] ?? 0) + 1;
    if (entry.status === 429) counts["429"] = (counts["429"] ?? 0) + 1;
  }
  return counts;
}

/** Finish times (epoch ms) of every job on the emulator, read through the API after the run. */
async function jobFinishTimes(emulator: RunningEmulator, apiKey: string): Promise<number[]> {
  const client = createKlaviyoClient({ apiKey, baseUrl: emulator.url });
  const out: number[] = [];
  for await (const page of client.getBulkCreateCouponCodeJobs()) {
    for (const job of page.data) {
      if (job.attributes.completed_at) out.push(Date.parse(job.attributes.completed_at));
    }
  }
  return out;
}

const SUBMIT = OPERATIONS.bulkCreateCouponCodes.operationId;
const POLL = OPERATIONS.getBulkCreateCouponCodesJob.operationId;
const LIST = OPERATIONS.getCouponCodes.operationId;

/** Wraps the host's Check and Create so their wall times land in `rpc`; `restore()` unwraps them. */
function timeRpcs(host: ProviderHost): { rpc: OursUpload["rpc"]; restore(): void } {
  const rpc = { checkMs: 0, createMs: 0 };
  const original = { check: host.check, create: host.create };
  const timed =
    <A, R>(call: (a: A) => Promise<R>, key: keyof typeof rpc) =>
    async (a: A): Promise<R> => {
      const t = performance.now();
      try {
        return await call(a);
      } finally {
        rpc[key] = performance.now() - t;
      }
    };
  host.check = timed(original.check, "checkMs");
  host.create = timed(original.create, "createMs");
  return { rpc, restore: () => Object.assign(host, original) };
}

/** Samples the host's memory from now on (RSS every 50 ms, and the kernel's peak, reset first). */
async function sampleHost(pid: number): Promise<() => OursUpload["host"]> {
  const rssBefore = procMemory(pid)?.rss ?? NaN;
  const hwmReset = await resetPeakMemory(pid);
  const sampler = sampleRss(pid, 50);
  return () => ({ rssBefore, ...sampler.stop(), hwmReset });
}

/** The upload's milestones, relative to `started`, from the emulator's request log and job finish times. */
function uploadPhases(log: RequestLogEntry[], started: number, finished: number[]): OursUpload["phases"] {
  const rel = (t: number) => t - started;
  const submits = log.filter((r) => r.operationId === SUBMIT);
  const polls = log.filter((r) => r.operationId === POLL);
  const lastPoll = polls.length > 0 ? polls[polls.length - 1].time : started;
  const listing = log.filter((r) => r.operationId === LIST && r.time >= lastPoll);
  return {
    firstSubmit: rel(submits[0]?.time ?? started),
    lastSubmit: rel(submits[submits.length - 1]?.time ?? started),
    lastJobDone: rel(Math.max(started, ...finished.filter((t) => t >= started))),
    lastPoll: rel(lastPoll),
    finalListingStart: rel(listing[0]?.time ?? lastPoll),
    finalListingEnd: rel(listing[listing.length - 1]?.time ?? lastPoll),
    finalListingPages: listing.length,
  };
}

/** Creates a coupon and then a batch of `count` codes through the host; asserts the outcome. */
export async function runOursUpload(
  stack: BenchStack,
  opts: { count: number; tag: string; sampleHost?: boolean },
): Promise<OursUpload> {
  const couponId = `BENCH${opts.tag}`;
  await upCoupon(stack, `coupon-${opts.tag}`, couponId);
  const codes = benchCodes(`U${opts.tag}`.slice(0, 6), opts.count);
  const name = `batch-${opts.tag}`;
  await stack.emulator.control.waitForJobs(600_000);
  stack.emulator.control.resetRequestLog();
  const { rpc, restore } = timeRpcs(stack.host);
  const stopSampling = opts.sampleHost ? await sampleHost(stack.host.pid) : undefined;
  const started = Date.now();
  let result;
  try {
    result = await upBatch(stack, name, { couponId, codes });
  } finally {
    restore();
  }
  const wallMs = Date.now() - started;
  const host = stopSampling?.();
  stack.host.calls.length = 0;
  const outs = result.outputs as Record<string, any>;
  if (outs.codeCount !== opts.count || outs.failedCount !== 0) {
    throw new Error(
      `upload of ${opts.count} ended with codeCount ${outs.codeCount}, failed ${outs.failedCount}`,
    );
  }
  const finished = await jobFinishTimes(stack.emulator, stack.apiKey);
  return {
    codes: opts.count,
    wallMs,
    requests: countRequests(stack.emulator),
    phases: uploadPhases(stack.emulator.control.requestLog(), started, finished),
    rpc,
    engineSideMs: engineSide(stack, name),
    host,
    state: { name },
  };
}

/** Replays the simulator's protobuf work for the Check and Create RPCs of batch `name`. */
function engineSide(stack: BenchStack, name: string): number {
  const s = stack.engine.state(name)!;
  return (
    checkCost({ urn: s.urn, olds: {}, news: s.inputs }, s.inputs) +
    createCost({ urn: s.urn, properties: s.inputs }, s.outputs)
  );
}

/** What the baseline measured. */
export interface BaselineUpload {
  codes: number;
  wallMs: number;
  jobs: number;
  polls: number;
  /** Per-job time from submit to seeing `complete`, median (ms). */
  medianJobMs: number;
}

/**
 * The loop users write today with the official SDK: submit a 1000-code job, poll it every `pollMs` until it
 * is complete, then submit the next. Timed from the first submit to the last `complete`.
 */
export async function runBaselineUpload(
  emulator: RunningEmulator,
  apiKey: string,
  opts: { count: number; pollMs: number; couponId: string },
): Promise<BaselineUpload> {
  const session = new ApiKeySession(apiKey, new RetryWithExponentialBackoff({ numRetries: 3 }));
  const api = new CouponsApi(session);
  // The SDK builds every URL from basePath, so pointing it at the emulator is enough.
  api.basePath = emulator.url;
  await api.createCoupon({ data: { type: "coupon", attributes: { externalId: opts.couponId } } });
  const codes = benchCodes("S", opts.count);
  const jobTimes: number[] = [];
  let polls = 0;
  const started = Date.now();
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000);
    const submitted = Date.now();
    const job = await api.bulkCreateCouponCodes({
      data: {
        type: "coupon-code-bulk-create-job",
        attributes: {
          couponCodes: {
            data: chunk.map((uniqueCode) => ({
              type: "coupon-code" as const,
              attributes: { uniqueCode },
              relationships: { coupon: { data: { type: "coupon" as const, id: opts.couponId } } },
            })),
          },
        },
      },
    });
    const jobId = job.body.data.id as string;
    let status = String(job.body.data.attributes.status);
    // Bounded: a job that is not complete within 10 minutes fails the benchmark.
    for (let n = 0; n < 600 && status !== "complete"; n++) {
      if (status === "cancelled") throw new Error(`baseline job ${jobId} was cancelled`);
      await sleep(opts.pollMs);
      const polled = await api.getBulkCreateCouponCodesJob(jobId);
      polls++;
      status = String(polled.body.data.attributes.status);
    }
    if (status !== "complete") throw new Error(`baseline job ${jobId} did not complete`);
    jobTimes.push(Date.now() - submitted);
  }
  const wallMs = Date.now() - started;
  const created = emulator.control.counts().codes;
  if (created !== opts.count) throw new Error(`baseline created ${created} codes, expected ${opts.count}`);
  const sorted = [...jobTimes].sort((a, b) => a - b);
  return {
    codes: opts.count,
    wallMs,
    jobs: jobTimes.length,
    polls,
    medianJobMs: sorted[Math.floor(sorted.length / 2)],
  };
}
