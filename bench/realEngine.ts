/**
 * Benchmarks through the real engine: the `pulumi` CLI (built from the Go module proxy, see
 * scripts/pulumiCli.ts) with a local file backend and the passphrase secrets provider, an inline
 * program (the Automation API), and the emulator with Klaviyo's published rate limits and the
 * benchmark's job model. What a user's `pulumi up`, `preview` and `refresh` cost, end to end.
 */
import * as fs from "fs";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { DEFAULT_TEST_API_KEY, type RunningEmulator } from "../emulator";
import { ensureBuilt, ensurePackageLink, REPO_ROOT } from "../scripts/projectSetup";
import { obtainPulumiCli } from "../scripts/pulumiCli";
import { createThrowawayStack, type ThrowawayStack } from "../scripts/throwawayStack";
import { makeProjectDir, type ProjectDir } from "../testkit/harness/projectDir";
import { OPERATIONS } from "../provider/client/operations";
import { listingFloor, uploadFloor } from "./floors";
import { LATENCY } from "./params";
import { watchProcesses } from "./processWatch";
import { minPageMs, waitForXlHeadroom } from "./refresh";
import { randomBenchCodes, startBenchEmulator } from "./stack";

/** Latency the refresh runs add to every request (a real network costs at least this). */
export const REFRESH_LATENCIES_MS = [0, 50];

// The requests a refresh reads codes with: the listing, and single reads of codes no listing returned.
const CODE_READS: string[] = [OPERATIONS.getCouponCodes.operationId, OPERATIONS.getCouponCode.operationId];

/** Which commands one scenario runs: the big ones only create (upload, state and memory). */
export interface Scenario {
  kind: "listed" | "generated";
  codes: number;
  /** Also no-op up, preview with 1% changed, and refresh at each latency. */
  full: boolean;
}

/** One command's cost. */
export interface CommandRun {
  wallMs: number;
  /** Requests the emulator received on /api/ during the command. */
  apiRequests: number;
  /** Peak memory (bytes) per process kind: `cli`, `providerHost`. */
  peaks: Record<string, number>;
}

/** What one scenario measured. */
export interface ScenarioResult extends Scenario {
  create: CommandRun;
  uploadFloorMs: number;
  stateBytes: number;
  noop?: CommandRun;
  preview?: CommandRun;
  refresh?: Array<
    CommandRun & {
      latencyMs: number;
      floorMs: number;
      pages: number;
      /** From the first to the last code read of the refresh, plus one request: the provider's listing. */
      listingMs: number;
      /** Code reads the refresh sent (listing pages and single reads). */
      reads: number;
    }
  >;
}

// The program reads what to declare from here, so one stack can be changed between commands.
interface Declared {
  codes: string[];
  count: number;
}

type Klaviyo = typeof import("../provider");

function program(scenario: Scenario, declared: Declared, couponId: string) {
  return async () => {
    const klaviyo = require("pulumi-klaviyo-coupons") as Klaviyo;
    const coupon = new klaviyo.Coupon("coupon", { externalId: couponId });
    const batch = new klaviyo.CouponCodeBatch("codes", {
      couponId: coupon.couponId,
      ...(scenario.kind === "listed"
        ? { codes: declared.codes }
        : { generate: { count: declared.count, length: 8, prefix: "GEN-" } }),
    });
    // Only the count: exporting the codes would store them a second time, in the stack's outputs.
    return { codeCount: batch.codeCount };
  };
}

async function measured(emulator: RunningEmulator, run: () => Promise<unknown>): Promise<CommandRun> {
  const watch = watchProcesses();
  const started = Date.now();
  await run();
  const wallMs = Date.now() - started;
  const peaks = watch.stop();
  const apiRequests = emulator.control
    .requestLog()
    .filter((r) => r.time >= started && r.path.startsWith("/api/")).length;
  return { wallMs, apiRequests, peaks };
}

/** The CLI, the built package and a user-like project directory, shared by every scenario. */
export interface RealEngineRig {
  cli: PulumiCommand;
  project: ProjectDir;
  close(): Promise<void>;
}

/** Obtains the CLI (built once and cached), builds and links the package, makes the project directory. */
export async function startRealEngineRig(log: (line: string) => void): Promise<RealEngineRig> {
  const cli = await obtainPulumiCli({ log });
  ensureBuilt(REPO_ROOT);
  ensurePackageLink(REPO_ROOT);
  const project = await makeProjectDir({ project: "klaviyo-bench" });
  return { cli, project, close: () => project.cleanup() };
}

/** Runs one scenario on a fresh emulator and a fresh stack, then destroys nothing (the stack is thrown away). */
export async function runScenario(rig: RealEngineRig, scenario: Scenario): Promise<ScenarioResult> {
  const emulator = await startBenchEmulator(LATENCY);
  const couponId = `REAL${scenario.kind === "listed" ? "L" : "G"}${scenario.codes}`;
  const declared: Declared = {
    codes: scenario.kind === "listed" ? randomBenchCodes("LST-", scenario.codes) : [],
    count: scenario.codes,
  };
  let throwaway: ThrowawayStack | undefined;
  try {
    throwaway = await createThrowawayStack({
      cli: rig.cli,
      workDir: rig.project.dir,
      baseUrl: emulator.url,
      apiKey: DEFAULT_TEST_API_KEY,
      prefix: "bench",
      program: { projectName: rig.project.project, program: program(scenario, declared, couponId) },
    });
    const stack = throwaway.stack;
    const create = await measured(emulator, () => stack.up());
    const result: ScenarioResult = {
      ...scenario,
      create,
      uploadFloorMs: uploadFloor({ codes: scenario.codes, latency: LATENCY }).ms,
      stateBytes: fs.statSync(stateFile(throwaway, rig.project.project)).size,
    };
    if (!scenario.full) return result;
    result.noop = await measured(emulator, () => stack.up());
    result.preview = await previewWithChange(emulator, stack, scenario, declared);
    result.refresh = await refreshes(emulator, stack, scenario.codes, couponId);
    return result;
  } finally {
    await throwaway?.dispose({ skipDestroy: true });
    await emulator.close();
  }
}

function stateFile(throwaway: ThrowawayStack, project: string): string {
  return `${throwaway.backendDir}/.pulumi/stacks/${project}/${throwaway.stackName}.json`;
}

// 1% of the codes replaced by new ones (at least one); generated pools raise their count by 1% instead.
async function previewWithChange(
  emulator: RunningEmulator,
  stack: ThrowawayStack["stack"],
  scenario: Scenario,
  declared: Declared,
): Promise<CommandRun> {
  const changed = Math.max(1, Math.round(scenario.codes / 100));
  const original = { ...declared };
  if (scenario.kind === "listed")
    declared.codes = [...randomBenchCodes("NEW-", changed, 2), ...original.codes.slice(changed)];
  else declared.count = original.count + changed;
  try {
    return await measured(emulator, () => stack.preview());
  } finally {
    Object.assign(declared, original);
  }
}

async function refreshes(
  emulator: RunningEmulator,
  stack: ThrowawayStack["stack"],
  codes: number,
  couponId: string,
): Promise<NonNullable<ScenarioResult["refresh"]>> {
  const pageMs = await minPageMs(emulator, DEFAULT_TEST_API_KEY, couponId);
  const runs: NonNullable<ScenarioResult["refresh"]> = [];
  for (const latencyMs of REFRESH_LATENCIES_MS) {
    const floor = listingFloor({ codes, minRequestMs: pageMs + latencyMs });
    await waitForXlHeadroom(emulator, floor.pages + 10);
    if (latencyMs > 0) emulator.control.injectFault({ path: "/api/", latencyMs, count: 10_000_000 });
    try {
      const started = Date.now();
      const run = await measured(emulator, () => stack.refresh());
      const reads = emulator.control
        .requestLog()
        .filter((r) => r.time >= started && CODE_READS.includes(r.operationId));
      const listingMs =
        reads.length > 0 ? reads[reads.length - 1].time - reads[0].time + pageMs + latencyMs : 0;
      runs.push({ ...run, latencyMs, floorMs: floor.ms, pages: floor.pages, listingMs, reads: reads.length });
    } finally {
      emulator.control.clearFaults();
    }
  }
  return runs;
}
