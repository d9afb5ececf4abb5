/**
 * Benchmark parameters: the job latency model and the sizes of the full and quick runs.
 */
import { DEFAULT_JOB_LATENCY, type JobLatencySettings } from "../emulator";
import type { Scenario } from "./realEngine";

/**
 * The job latency model the emulator runs with (Klaviyo publishes none; see the report for the reasoning):
 * a job waits about 1 s in the queue, then takes 2 s plus 3 ms per code to process (5 s for 1000 codes),
 * and an account's jobs are processed as many at a time as the emulator's default says.
 */
export const LATENCY: JobLatencySettings = {
  queuedMs: 1000,
  processingMsPerJob: 2000,
  processingMsPerCode: 3,
  concurrency: DEFAULT_JOB_LATENCY.concurrency,
};

/** How often the baseline polls its job (what Klaviyo's examples and most scripts do). */
export const BASELINE_POLL_MS = 1000;

/** Latency injected on every listing request for the network-latency sensitivity run. */
export const INJECTED_LATENCY_MS = 10;

/** One benchmark run's sizes. */
export interface RunPlan {
  mode: "full" | "quick";
  /** Our uploads; the last one is the big one (host memory sampled, then refreshed and planned on). */
  uploads: Array<{ count: number; repeats: number }>;
  /** Codes the baseline uploads; in quick mode it is extrapolated to the upload sizes. */
  baselineCounts: number[];
  /** Codes of the batch refreshed and planned on; when it differs from the big upload, it is seeded. */
  refreshCodes: number;
  refreshRepeats: number;
  planWarmup: number;
  planRepeats: number;
  /** Scenarios run through the real `pulumi` CLI; the first full one is the base of the growth ratios. */
  realEngine: Scenario[];
}

export const FULL: RunPlan = {
  mode: "full",
  uploads: [
    { count: 10_000, repeats: 3 },
    { count: 100_000, repeats: 1 },
  ],
  baselineCounts: [10_000, 100_000],
  refreshCodes: 100_000,
  refreshRepeats: 3,
  planWarmup: 3,
  planRepeats: 15,
  realEngine: [
    { kind: "listed", codes: 100, full: true },
    { kind: "listed", codes: 100_000, full: true },
    { kind: "generated", codes: 100_000, full: false },
    { kind: "listed", codes: 500_000, full: false },
    { kind: "generated", codes: 500_000, full: false },
  ],
};

export const QUICK: RunPlan = {
  mode: "quick",
  uploads: [{ count: 10_000, repeats: 1 }],
  baselineCounts: [2_000],
  refreshCodes: 20_000,
  refreshRepeats: 3,
  planWarmup: 2,
  planRepeats: 9,
  realEngine: [
    { kind: "listed", codes: 100, full: true },
    { kind: "listed", codes: 10_000, full: true },
  ],
};
