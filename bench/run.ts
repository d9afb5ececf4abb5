/**
 * `npm run bench` entry point: runs every benchmark once (medians over repetitions where a benchmark is
 * short) and writes `bench/REPORT.md`.
 *
 *   npm run bench                 full run (about 15 minutes; the 100k baseline alone takes ~10)
 *   npm run bench -- --quick      reduced sizes, under two minutes, for spot checks
 *   npm run bench -- --out FILE   write the report elsewhere
 *   --json FILE                   also save the raw results; --render-from FILE re-renders a saved run
 *
 * Everything runs on 127.0.0.1 against the emulator; loops are bounded; the provider host is the SDK's real
 * dynamic-provider host, driven over gRPC by the engine simulator.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { startProviderHost } from "../testkit/harness/providerHost";
import { listingFloor, uploadFloor, type UploadFloor } from "./floors";
import { sdkMemoryControl, stateSize, type SdkControl, type StateSize } from "./footprint";
import { machineInfo, watchBackground, type Background, type MachineInfo } from "./machine";
import { BASELINE_POLL_MS, FULL, INJECTED_LATENCY_MS, LATENCY, QUICK, type RunPlan } from "./params";
import { runPlan, type PlanResult } from "./plan";
import { minPageMs, runRefresh, waitForXlHeadroom, type RefreshResult } from "./refresh";
import { writeReport } from "./report";
import { benchCodes, startBenchEmulator, startBenchStack, upBatch, upCoupon, type BenchStack } from "./stack";
import { runBaselineUpload, runOursUpload, type BaselineUpload, type OursUpload } from "./upload";

/** Everything one run measured. */
export interface Results {
  plan: RunPlan;
  machine: MachineInfo;
  background: Record<string, Background>;
  uploads: Array<{ count: number; runs: OursUpload[]; floor: UploadFloor }>;
  baselines: BaselineUpload[];
  refresh: RefreshResult & { floorMs: number; floorRateMs: number; pages: number; minPageMs: number };
  refreshLatency: RefreshResult & { injectedMs: number };
  planResult: PlanResult;
  state: StateSize;
  control: SdkControl;
  skipped: string[];
  startedAt: number;
  finishedAt: number;
}

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function phase<T>(results: Partial<Results>, name: string, fn: () => Promise<T>): Promise<T> {
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

const FAST_JOBS = { queuedMs: 5, processingMsPerJob: 10, processingMsPerCode: 0.01, concurrency: 10 };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const plan = args.includes("--quick") ? QUICK : FULL;
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(__dirname, "REPORT.md");
  const skipBaseline = args.includes("--skip-baseline"); // development only; the report says so
  const jsonIndex = args.indexOf("--json");
  const renderIndex = args.indexOf("--render-from");
  if (renderIndex >= 0) {
    const saved = JSON.parse(await fs.readFile(path.resolve(args[renderIndex + 1]), "utf8")) as Results;
    await writeReport(saved, out);
    log(`re-rendered ${out} from ${args[renderIndex + 1]}`);
    return;
  }
  const results: Partial<Results> = { plan, machine: machineInfo(), skipped: [], startedAt: Date.now() };
  log(`mode ${plan.mode}; report -> ${out}`);

  // 1. Our uploads. Every size but the last on one stack; the last (big) one on a fresh stack whose host
  //    memory is sampled, and which is then refreshed and planned on.
  results.uploads = [];
  const small = plan.uploads.slice(0, -1);
  const big = plan.uploads[plan.uploads.length - 1];
  if (small.length > 0) {
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
        results.uploads.push({
          count: size.count,
          runs,
          floor: uploadFloor({ codes: size.count, latency: LATENCY }),
        });
      }
    } finally {
      await stack.close();
    }
  }
  const stack: BenchStack = await startBenchStack(LATENCY);
  try {
    const bigRun = await phase(results, `upload ${big.count} (ours)`, () =>
      runOursUpload(stack, { count: big.count, tag: `${big.count / 1000}K`, sampleHost: true }),
    );
    results.uploads.push({
      count: big.count,
      runs: [bigRun],
      floor: uploadFloor({ codes: big.count, latency: LATENCY }),
    });
    results.state = stateSize(stack, bigRun.state.name);

    // 2. Refresh: the big batch, or (quick) a batch seeded with fast jobs.
    let refreshName = bigRun.state.name;
    let refreshCoupon = `BENCH${big.count / 1000}K`;
    if (plan.refreshCodes !== big.count) {
      refreshCoupon = "BENCHREFRESH";
      refreshName = "batch-refresh";
      await phase(results, `seed ${plan.refreshCodes} codes for refresh and plan`, async () => {
        stack.emulator.control.configure({ jobs: FAST_JOBS });
        try {
          await upCoupon(stack, "coupon-refresh", refreshCoupon);
          await waitForXlHeadroom(stack.emulator, 2 * (plan.refreshCodes / 100) + 10);
          await upBatch(stack, refreshName, {
            couponId: refreshCoupon,
            codes: benchCodes("R", plan.refreshCodes),
          });
        } finally {
          stack.emulator.control.configure({ jobs: LATENCY });
        }
      });
    }
    const pageMs = await minPageMs(stack.emulator, stack.apiKey, refreshCoupon);
    const refresh = await phase(results, `refresh ${plan.refreshCodes}`, () =>
      runRefresh(stack, { name: refreshName, codes: plan.refreshCodes, repeats: plan.refreshRepeats }),
    );
    const floor = listingFloor({ codes: plan.refreshCodes, minRequestMs: pageMs });
    results.refresh = {
      ...refresh,
      floorMs: floor.ms,
      floorRateMs: floor.rateMs,
      pages: floor.pages,
      minPageMs: pageMs,
    };
    const latency = await phase(
      results,
      `refresh ${plan.refreshCodes} with ${INJECTED_LATENCY_MS} ms per listing request`,
      () =>
        runRefresh(stack, {
          name: refreshName,
          codes: plan.refreshCodes,
          repeats: 1,
          injectLatencyMs: INJECTED_LATENCY_MS,
        }),
    );
    results.refreshLatency = { ...latency, injectedMs: INJECTED_LATENCY_MS };

    // 3. Plan (check + diff) on the same batch, 1% of codes changed.
    results.planResult = await phase(results, `plan ${plan.refreshCodes}`, () =>
      runPlan(stack, { name: refreshName, warmup: plan.planWarmup, repeats: plan.planRepeats }),
    );
  } finally {
    await stack.close();
  }

  // 4. Memory control: the SDK host with a no-op provider on the same number of codes.
  results.control = await phase(results, `SDK host control (${big.count} codes, no-op provider)`, () =>
    sdkMemoryControl(big.count, startProviderHost),
  );

  // 5. Baselines, each on a fresh emulator with the same configuration.
  results.baselines = [];
  if (skipBaseline) {
    results.skipped!.push("baseline");
  } else {
    for (const count of plan.baselineCounts) {
      const emulator = await startBenchEmulator(LATENCY);
      try {
        results.baselines.push(
          await phase(results, `upload ${count} (baseline, klaviyo-api SDK)`, () =>
            runBaselineUpload(emulator, stack.apiKey, {
              count,
              pollMs: BASELINE_POLL_MS,
              couponId: "BASELINE",
            }),
          ),
        );
      } finally {
        await emulator.close();
      }
    }
  }
  results.finishedAt = Date.now();
  if (jsonIndex >= 0) await fs.writeFile(path.resolve(args[jsonIndex + 1]), JSON.stringify(results, null, 2));
  await writeReport(results as Results, out);
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
