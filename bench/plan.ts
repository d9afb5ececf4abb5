/**
 * Plan benchmark: `check` plus `diff` of a batch whose inputs changed 1% of its codes, as `pulumi preview`
 * or the first half of `pulumi up` does. Measured twice:
 * - handler level: the built handlers (`dist/provider/batch/handlers.js`) called in a fresh child process;
 * - through the host: the Check and Diff RPCs of the real dynamic-provider host, which add the SDK's
 *   protobuf conversion of every property (and the simulator's own, replayed separately).
 */
import { DEFAULT_TEST_API_KEY } from "../emulator";
import { packStrings, readStrings } from "../provider/packedStrings";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { ResourceState } from "../testkit/harness/engine";
import type { ProviderHost } from "../testkit/harness/providerHost";
import { checkCost, diffCost } from "./engineCost";
import { procMemory, resetPeakMemory } from "./procStats";
import type { BenchStack } from "./stack";

/** Timing of one check + diff. */
export interface PlanTiming {
  check: number;
  diff: number;
  total: number;
}

/** What one level measured. */
export interface PlanLevel {
  times: PlanTiming[];
  rssBefore: number;
  hwm: number;
  hwmReset: boolean;
}

/** What the plan benchmark measured. */
export interface PlanResult {
  codes: number;
  changed: number;
  handler: PlanLevel;
  grpc: PlanLevel & { engineSideMs: number };
}

/** The batch's stored codes, packed (as the constructor and check write them) or a list. */
function storedCodes(inputs: Record<string, unknown>): string[] {
  const codes = readStrings(inputs.codes);
  if (!codes) throw new Error("the batch's stored inputs hold no codes");
  return codes;
}

/**
 * The batch's new inputs with every 100th code replaced by a new one (1% changed), packed as the
 * `CouponCodeBatch` constructor registers them.
 */
function changedInputs(inputs: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  changed: number;
} {
  const codes = [...storedCodes(inputs)];
  let changed = 0;
  for (let i = 0; i < codes.length; i += 100) {
    codes[i] = `CHG${String(i).padStart(9, "0")}`;
    changed++;
  }
  return { inputs: { ...inputs, codes: packStrings(codes) }, changed };
}

function runWorker(jobFile: string): Promise<PlanLevel> {
  const worker = path.join(__dirname, "planWorker.js");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", worker, jobFile],
      { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`plan worker failed: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop() as string) as PlanLevel);
      },
    );
  });
}

/** Handler level, in a child process that loads only the built handlers. */
async function handlerLevel(
  state: ResourceState,
  newInputs: Record<string, unknown>,
  opts: { warmup: number; repeats: number },
): Promise<PlanLevel> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "klaviyo-bench-plan-"));
  const jobFile = path.join(dir, "job.json");
  try {
    await fs.writeFile(
      jobFile,
      JSON.stringify({
        handlers: path.resolve(__dirname, "..", "dist", "provider", "batch", "handlers.js"),
        // The host configures the provider before any check; keyed, check also fingerprints the codes.
        apiKey: DEFAULT_TEST_API_KEY,
        id: state.id,
        oldInputs: state.inputs,
        oldOutputs: state.outputs,
        newInputs,
        warmup: opts.warmup,
        repeats: opts.repeats,
      }),
    );
    return await runWorker(jobFile);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** One Check + Diff through the host, as the engine sends them; returns the timing and checked inputs. */
async function hostPlanOnce(
  host: ProviderHost,
  state: ResourceState,
  newInputs: Record<string, unknown>,
): Promise<PlanTiming & { checked: Record<string, unknown> }> {
  const started = performance.now();
  const checked = await host.check({ urn: state.urn, olds: state.inputs, news: newInputs });
  const mid = performance.now();
  const diff = await host.diff({
    id: state.id,
    urn: state.urn,
    olds: state.outputs,
    news: checked.inputs,
    oldInputs: state.inputs,
  });
  const ended = performance.now();
  host.calls.length = 0;
  if (checked.failures.length > 0 || !diff.changes) throw new Error("plan through the host found no change");
  return { check: mid - started, diff: ended - mid, total: ended - started, checked: checked.inputs };
}

/** Through the host: a fresh process, configured, then the timed Check + Diff RPCs. */
async function hostLevel(
  stack: BenchStack,
  state: ResourceState,
  newInputs: Record<string, unknown>,
  opts: { warmup: number; repeats: number },
): Promise<PlanResult["grpc"]> {
  await stack.restartHost();
  const host = stack.host;
  let checked: Record<string, unknown> = {};
  for (let i = 0; i < opts.warmup; i++) checked = (await hostPlanOnce(host, state, newInputs)).checked;
  const rssBefore = procMemory(host.pid)?.rss ?? NaN;
  const hwmReset = await resetPeakMemory(host.pid);
  const times: PlanTiming[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    const { checked: c, ...t } = await hostPlanOnce(host, state, newInputs);
    checked = c;
    times.push(t);
  }
  const hwm = procMemory(host.pid)?.hwm ?? NaN;
  const engineSideMs =
    checkCost({ urn: state.urn, olds: state.inputs, news: newInputs }, checked) +
    diffCost({ id: state.id, urn: state.urn, olds: state.outputs, news: checked, oldInputs: state.inputs });
  return { times, rssBefore, hwm, hwmReset, engineSideMs };
}

/** Runs both levels on the batch `name` of the stack (restarts the host for a clean memory figure). */
export async function runPlan(
  stack: BenchStack,
  opts: { name: string; warmup: number; repeats: number },
): Promise<PlanResult> {
  const state = stack.engine.state(opts.name);
  if (!state) throw new Error(`no batch ${opts.name} in state`);
  const { inputs: newInputs, changed } = changedInputs(state.inputs);
  const codes = storedCodes(state.inputs).length;
  const handler = await handlerLevel(state, newInputs, opts);
  const grpc = await hostLevel(stack, state, newInputs, opts);
  return { codes, changed, handler, grpc };
}
