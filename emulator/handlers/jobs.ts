/** Handlers of the bulk-create job endpoints (#11-#13). */
import { parseJobCreate } from "../bodies";
import { fail, notFound } from "../failures";
import { compileJobFilter } from "../filterRules";
import { newUlid } from "../ids";
import type { JobRecord } from "../model";
import { takePage } from "../pagination";
import { codeResource, collectionLinks, jobResource } from "../serialize";
import { takeOutcome, type ApiResult, type HandlerContext } from "../state";

const JOB_RETENTION_MICROS = 7 * 24 * 3600 * 1_000_000;

/** #11 GET /api/coupon-code-bulk-create-jobs (at most 100 per page, no page[size]). */
export function getJobs(ctx: HandlerContext): ApiResult {
  const predicate = ctx.query.filter === undefined ? undefined : compileJobFilter(ctx.query.filter);
  const page = takePage(ctx.state.store.jobOrder.entriesAfter(ctx.query.after), 100, predicate);
  return {
    status: 200,
    body: {
      data: page.items.map((job) => jobResource(job, ctx.links, ctx.query.fields)),
      links: collectionLinks(ctx.selfUrl, page.nextCursor),
    },
  };
}

/** #12 POST /api/coupon-code-bulk-create-jobs (202; items are processed asynchronously). */
export function createJob(ctx: HandlerContext): ApiResult {
  const { state } = ctx;
  const { maxCodesPerJob, maxActiveJobs } = state.settings.limits;
  const items = parseJobCreate(ctx.body, maxCodesPerJob);
  const active = state.jobs.activeCount();
  if (active >= maxActiveJobs) {
    throw fail(
      400,
      `Max number of jobs queued at once we allow for is ${maxActiveJobs}; ${active} jobs are queued or processing. Retry when some have finished.`,
      { code: "job_limit_exceeded", source: { pointer: "/data" } },
    );
  }
  const job: JobRecord = {
    id: newUlid(state.clock()),
    seq: state.store.nextSeq(),
    status: "queued",
    createdAt: ctx.nowMicros,
    completedAt: null,
    expiresAt: ctx.nowMicros + JOB_RETENTION_MICROS,
    items,
    totalCount: items.length,
    completedCount: 0,
    failedCount: 0,
    errors: [],
    createdCodeIds: [],
    outcome: takeOutcome(state),
  };
  state.store.jobs.set(job.id, job);
  state.store.jobOrder.push(job.seq, job);
  state.jobs.submit(job);
  return {
    status: 202,
    body: { data: jobResource(job, ctx.links, ctx.query.fields), links: { self: ctx.selfUrl } },
  };
}

/** #13 GET /api/coupon-code-bulk-create-jobs/{job_id} */
export function getJob(ctx: HandlerContext): ApiResult {
  const job = ctx.state.store.jobs.get(ctx.params.job_id);
  if (!job) throw notFound(`A coupon code bulk create job with id '${ctx.params.job_id}' does not exist.`);
  const body: Record<string, unknown> = {
    data: jobResource(job, ctx.links, ctx.query.fields),
    links: { self: ctx.selfUrl },
  };
  if (ctx.query.include.has("coupon-codes")) {
    body.included = job.createdCodeIds.flatMap((id) => {
      const code = ctx.state.store.codes.get(id);
      return code ? [codeResource(code, ctx.links, ctx.query.fields)] : [];
    });
  }
  return { status: 200, body };
}
