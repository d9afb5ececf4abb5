/**
 * `npm run bench` entry point: runs every benchmark once (medians over repetitions where a benchmark is
 * short) and writes `bench/REPORT.md`.
 *
 *   npm run bench                 full run (about 15 minutes; the 100k baseline alone takes ~10)
 *   npm run bench -- --quick      reduced sizes, under two minutes, for spot checks
 *   npm run bench -- --out FILE   write the report elsewhere
 *   --json FILE                   also save the raw results; --render-from FILE re-renders a saved run
 *   --real-engine-only            only the scenarios through the real CLI, saved to --json FILE
 *
 * Everything runs on 127.0.0.1 against the emulator; loops are bounded; the provider host is the SDK's real
 * dynamic-provider host, driven over gRPC by the engine simulator.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { upBatch, upCoupon } from "../testkit/batchTestKit";
import { FAST_JOBS } from "../testkit/emulator";
import { startProviderHost } from "../testkit/harness/providerHost";
import { listingFloor, uploadFloor } from "./floors";
import { sdkMemoryControl, stateSize } from "./footprint";
import { machineInfo, watchBackground } from "./machine";
import { BASELINE_POLL_MS, FULL, INJECTED_LATENCY_MS, LATENCY, QUICK, type RunPlan } from "./params";
import { runPlan } from "./plan";
import { runScenario, startRealEngineRig } from "./realEngine";
import { minPageMs, runRefresh, waitForXlHeadroom } from "./refresh";
import { writeReport } from "./report";
import { benchCodes, startBenchEmulator, startBenchStack, type BenchStack } from "./stack";
import type { Results } from "./types";
import { runBaselineUpload, runOursUpload, type OursUpload } from "./upload";

/** The results so far; each step fills in its part. */
type Draft = Partial<Results>;

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function phase<T>(results: Draft, name: string, fn: () => Promise<T>): Promise<T> {
  log(`${name}...`);
  const watch = watchBackground();
  try {
    return await fn();
  } finally {
    const bg = watch.stop();
    (results.background ??= {})[name] = bg;
    log(
      `${name} done in ${bg.seconds.toFixed(1)} s (other processes ${bg.otherCores.toFixed(2)} cores, ` +
        `load ${bg.loadEnd[0].toFixed(2)})`,
    );
  }
}

/** Every upload size but the last, on one stack (the last one gets a stack of its own). */
async function smallUploads(results: Draft, plan: RunPlan): Promise<void> {
  const small = plan.uploads.slice(0, -1);
  if (small.length === 0) return;
  const stack = await startBenchStack(LATENCY);
  try {
    for (const size of small) {
      const runs: OursUpload[] = [];
      for (let i = 0; i < size.repeats; i++) {
        runs.push(
          await phase(results, `upload ${size.count} (ours, run ${i + 1})`, () =>
            runOursUpload(stack, { count: size.count, tag: `${size.count / 1000}K${i + 1}` }),
          ),
        );
      }
      results.uploads!.push({
        count: size.count,
        runs,
        floor: uploadFloor({ codes: size.count, latency: LATENCY }),
      });
    }
  } finally {
    await stack.close();
  }
}

/** The big upload, with the host's memory sampled; returns the batch to refresh and plan on. */
async function bigUpload(
  results: Draft,
  plan: RunPlan,
  stack: BenchStack,
): Promise<{ name: string; coupon: string }> {
  const big = plan.uploads[plan.uploads.length - 1];
  const run = await phase(results, `upload ${big.count} (ours)`, () =>
    runOursUpload(stack, { count: big.count, tag: `${big.count / 1000}K`, sampleHost: true }),
  );
  results.uploads!.push({
    count: big.count,
    runs: [run],
    floor: uploadFloor({ codes: big.count, latency: LATENCY }),
  });
  results.state = stateSize(stack, run.state.name);
  if (plan.refreshCodes === big.count) return { name: run.state.name, coupon: `BENCH${big.count / 1000}K` };
  // Quick run: a batch of another size, seeded with fast jobs so the seeding is not what the run waits for.
  const seeded = { name: "batch-refresh", coupon: "BENCHREFRESH" };
  await phase(results, `seed ${plan.refreshCodes} codes for refresh and plan`, async () => {
    stack.emulator.control.configure({ jobs: FAST_JOBS });
    try {
      await upCoupon(stack, "coupon-refresh", seeded.coupon);
      await waitForXlHeadroom(stack.emulator, 2 * (plan.refreshCodes / 100) + 10);
      await upBatch(stack, seeded.name, {
        couponId: seeded.coupon,
        codes: benchCodes("R", plan.refreshCodes),
      });
    } finally {
      stack.emulator.control.configure({ jobs: LATENCY });
    }
  });
  return seeded;
}

/** Refresh (with and without injected latency) and plan on the batch `batch`. */
async function refreshAndPlan(
  results: Draft,
  plan: RunPlan,
  stack: BenchStack,
  batch: { name: string; coupon: string },
): Promise<void> {
  const codes = plan.refreshCodes;
  const pageMs = await minPageMs(stack.emulator, stack.apiKey, batch.coupon);
  const refresh = await phase(results, `refresh ${codes}`, () =>
    runRefresh(stack, { name: batch.name, codes, repeats: plan.refreshRepeats }),
  );
  const floor = listingFloor({ codes, minRequestMs: pageMs });
  results.refresh = {
    ...refresh,
    floorMs: floor.ms,
    floorRateMs: floor.rateMs,
    pages: floor.pages,
    minPageMs: pageMs,
  };
  const latency = await phase(
    results,
    `refresh ${codes} with ${INJECTED_LATENCY_MS} ms per listing request`,
    () => runRefresh(stack, { name: batch.name, codes, repeats: 1, injectLatencyMs: INJECTED_LATENCY_MS }),
  );
  results.refreshLatency = { ...latency, injectedMs: INJECTED_LATENCY_MS };
  results.planResult = await phase(results, `plan ${codes}`, () =>
    runPlan(stack, { name: batch.name, warmup: plan.planWarmup, repeats: plan.planRepeats }),
  );
}

/** The official SDK's loop, each size on a fresh emulator with the same configuration. */
async function baselines(results: Draft, plan: RunPlan, apiKey: string): Promise<void> {
  results.baselines = [];
  for (const count of plan.baselineCounts) {
    const emulator = await startBenchEmulator(LATENCY);
    try {
      results.baselines.push(
        await phase(results, `upload ${count} (baseline, klaviyo-api SDK)`, () =>
          runBaselineUpload(emulator, apiKey, { count, pollMs: BASELINE_POLL_MS, couponId: "BASELINE" }),
        ),
      );
    } finally {
      await emulator.close();
    }
  }
}

/** The scenarios through the real `pulumi` CLI, each on a fresh emulator and stack. */
async function realEngine(results: Draft, plan: RunPlan): Promise<void> {
  const rig = await startRealEngineRig(log);
  results.realEngine = [];
  try {
    for (const scenario of plan.realEngine) {
      const name = `real engine: ${scenario.kind} ${scenario.codes}${scenario.full ? " (all commands)" : ""}`;
      results.realEngine.push(await phase(results, name, () => runScenario(rig, scenario)));
    }
  } finally {
    await rig.close();
  }
}

async function runAll(plan: RunPlan, skipBaseline: boolean): Promise<Results> {
  const results: Draft = { plan, machine: machineInfo(), skipped: [], startedAt: Date.now(), uploads: [] };
  await realEngine(results, plan);
  await smallUploads(results, plan);
  const stack = await startBenchStack(LATENCY);
  try {
    await refreshAndPlan(results, plan, stack, await bigUpload(results, plan, stack));
  } finally {
    await stack.close();
  }
  const bigCount = plan.uploads[plan.uploads.length - 1].count;
  results.control = await phase(results, `SDK host control (${bigCount} codes, no-op provider)`, () =>
    sdkMemoryControl(bigCount, startProviderHost),
  );
  if (skipBaseline) {
    results.baselines = [];
    results.skipped!.push("baseline"); // development only; the report says so
  } else {
    await baselines(results, plan, stack.apiKey);
  }
  results.finishedAt = Date.now();
  return results as Results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const valueOf = (flag: string) =>
    args.includes(flag) ? path.resolve(args[args.indexOf(flag) + 1]) : undefined;
  const out = valueOf("--out") ?? path.join(__dirname, "REPORT.md");
  const renderFrom = valueOf("--render-from");
  if (renderFrom) {
    await writeReport(JSON.parse(await fs.readFile(renderFrom, "utf8")) as Results, out);
    log(`re-rendered ${out} from ${args[args.indexOf("--render-from") + 1]}`);
    return;
  }
  const plan = args.includes("--quick") ? QUICK : FULL;
  log(`mode ${plan.mode}; report -> ${out}`);
  if (args.includes("--real-engine-only")) {
    // Development: only the real-engine scenarios, saved as JSON (no report).
    const draft: Draft = { plan, machine: machineInfo(), skipped: [], startedAt: Date.now() };
    await realEngine(draft, plan);
    await fs.writeFile(valueOf("--json") ?? "real-engine.json", JSON.stringify(draft, null, 2));
    return;
  }
  const results = await runAll(plan, args.includes("--skip-baseline"));
  const json = valueOf("--json");
  if (json) await fs.writeFile(json, JSON.stringify(results, null, 2));
  await writeReport(results, out);
  log(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(
      `benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
