/**
 * §1 of the report: our uploads against the floor and the official SDK's loop, where our time goes, and
 * how the floor and the baseline depend on the assumed job concurrency.
 */
import { DEFAULT_LIMITS } from "../emulator";
import { OPERATIONS } from "../provider/client/operations";
import { JOB_SIZE, JOB_TIER, processingMs, sequentialBaselineEstimate, uploadFloor } from "./floors";
import { BASELINE_POLL_MS, LATENCY } from "./params";
import { baselineFor, int, medianRun, msf, sec, x, type Section } from "./reportFormat";

const jobMs = processingMs(LATENCY, JOB_SIZE);

/** Ours, the floor and the baseline per size, then what the baseline's jobs took. */
export const uploadTable: Section = (r) => {
  const rows = r.uploads.map((u) => {
    const run = medianRun(u.runs);
    const walls = u.runs.map((x) => x.wallMs);
    const base = baselineFor(r, u.count);
    const spread =
      u.runs.length > 1 ? ` (median of ${u.runs.length}: ${walls.map((w) => sec(w)).join(", ")})` : "";
    return (
      `| ${int(u.count)} | ${sec(run.wallMs)}${spread} | ${sec(u.floor.ms)} | ${x(run.wallMs / u.floor.ms)} | ` +
      `${base ? sec(base.ms) + (base.extrapolated ? " (extrapolated)" : "") : "not run"} | ` +
      `${base ? x(base.ms / run.wallMs) : "–"} | ${base ? x(base.ms / u.floor.ms) : "–"} |`
    );
  });
  const baselines = r.baselines.map(
    (b) =>
      `Baseline, ${int(b.codes)} codes: ${b.jobs} jobs, ${int(b.polls)} polls, median ${sec(b.medianJobMs, 2)} per job from ` +
      `submit to seeing \`complete\` (the model's ${sec(LATENCY.queuedMs + jobMs, 2)} plus the wait for the next poll).` +
      (r.plan.mode === "quick" ? " Larger sizes are extrapolated as median job time × jobs." : ""),
  );
  return [
    "## 1. Upload",
    "",
    "| Codes | Ours | Floor | Ours / floor | Baseline (SDK loop) | Baseline / ours | Baseline / floor |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...baselines,
  ];
};

/** Milestones of the median run of each size, from the emulator's request log. */
export const uploadPhases: Section = (r) => {
  const rows = r.uploads.map((u) => {
    const run = medianRun(u.runs);
    const p = run.phases;
    const q = run.requests;
    const count = (op: { operationId: string }) => q[op.operationId] ?? 0;
    return (
      `| ${int(u.count)} | ${msf(run.rpc.checkMs)} | ${sec(p.firstSubmit, 2)} | ${sec(p.lastSubmit, 2)} | ${sec(p.lastJobDone, 2)} | ` +
      `${sec(p.lastPoll, 2)} (+${msf(p.lastPoll - p.lastJobDone)}) | ${sec(p.finalListingEnd - p.finalListingStart, 2)} | ` +
      `${sec(run.wallMs, 2)} | ${count(OPERATIONS.bulkCreateCouponCodes)} / ${count(OPERATIONS.getBulkCreateCouponCodesJob)} / ` +
      `${count(OPERATIONS.getCouponCodes)} / ${q["429"] ?? 0} | ${msf(run.engineSideMs)} |`
    );
  });
  return [
    "",
    "Where our time goes (the median run of each size; times from the start of `up`, read from the emulator's " +
      "request log):",
    "",
    "| Codes | Check RPC | First submit | Last submit | Last job done | Last poll (lag) | Final listing | Total | Requests: submit / poll / list pages / 429 | Engine-simulator protobuf (replayed) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ];
};

/** How the biggest upload's floor is made up, and where our time beyond it went. */
export const uploadVsFloor: Section = (_r, { big, bigRun, bigRatio }) => {
  const bp = bigRun.phases;
  const jobsSpan = bp.lastJobDone - bp.firstSubmit;
  return [
    "",
    `**The floor for ${int(big.count)} codes** is ${sec(big.floor.ms)}: ${big.floor.jobs} jobs and ${big.floor.requests} L-tier ` +
      `requests (one submit and one poll per job; ${JOB_TIER.perSecond}/s lets the first ${Math.min(JOB_TIER.perSecond, big.floor.jobs)} ` +
      `submits go at once and the last one at ${sec(big.floor.lastSubmitMs)}, and ${big.floor.requests} requests are far within ` +
      `${JOB_TIER.perMinute}/min), then ${sec(LATENCY.queuedMs)} queued and ${Math.ceil(big.floor.jobs / LATENCY.concurrency)} waves ` +
      `of ${LATENCY.concurrency} jobs × ${sec(jobMs)}. The queue limit (${DEFAULT_LIMITS.maxActiveJobs}) does not bind at this size; the ` +
      "account's job concurrency does.",
    "",
    `**Ours vs the floor (${x(bigRatio)})**: from our first submit to the last job finishing took ${sec(jobsSpan)}, ` +
      `${x(jobsSpan / big.floor.ms)} of the floor, i.e. Klaviyo (the emulator) was never left without queued work and ` +
      `the polling saw the last job ${msf(bp.lastPoll - bp.lastJobDone)} after it finished. The rest is fixed cost ` +
      `around the upload: ${sec(bp.firstSubmit, 2)} before the first submit (the Check RPC took ${msf(bigRun.rpc.checkMs)}; ` +
      `the Create RPC's transfer and the host's protobuf conversion of ${int(big.count)} codes, the coupon check and the ` +
      `empty listing before the upload), ${sec(bp.finalListingEnd - bp.finalListingStart, 2)} for the full listing ` +
      `after the upload (${bp.finalListingPages} pages, sequential; see §2), and ` +
      `${sec(bigRun.wallMs - bp.finalListingEnd, 2)} to build the outputs and return them over gRPC. Of the total, about ` +
      `${sec(bigRun.engineSideMs, 2)} is the engine simulator's own protobuf work (replayed separately), which the Go ` +
      "engine of a real `pulumi up` does in a fraction of that.",
  ];
};

/** The floor and the baseline estimate for other job concurrencies than the one assumed. */
export const uploadSensitivity: Section = (_r, { big }) => {
  const baseEstimate = sequentialBaselineEstimate({
    codes: big.count,
    latency: LATENCY,
    pollMs: BASELINE_POLL_MS,
    roundTripMs: 5,
  });
  const rows = [1, 5, 10, 25, 50].map((c) => {
    const f = uploadFloor({ codes: big.count, latency: { ...LATENCY, concurrency: c } });
    const thisRun = c === LATENCY.concurrency ? " (this run)" : "";
    return `| ${c}${thisRun} | ${sec(f.ms)} | ${sec(baseEstimate)} | ${x(baseEstimate / f.ms)} |`;
  });
  return [
    "",
    "**Sensitivity to the assumed job concurrency** (computed by the same floor function; the baseline column is the " +
      `model's estimate for the SDK loop: per job ${sec(LATENCY.queuedMs)} + ${sec(jobMs)}, rounded up to the next ${sec(BASELINE_POLL_MS, 0)} poll):`,
    "",
    `| Jobs processed in parallel | Floor, ${int(big.count)} codes | Baseline estimate | Baseline estimate / floor (the best ratio any client could reach) |`,
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "The sequential loop cannot use more than one processing slot, so its time does not depend on the concurrency; " +
      "ours tracks the floor. With 25 jobs outstanding (our default `maxConcurrentJobs`), an account that processes " +
      "more than 25 jobs at once would need a higher `maxConcurrentJobs` (up to 100) to reach its floor.",
    "",
  ];
};
