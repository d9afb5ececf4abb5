/**
 * A benchmark stack: the emulator (plain, no spec validation, so it costs what the emulator costs), a
 * user-like project directory, the Pulumi SDK's REAL dynamic-provider host process, and the engine
 * simulator that drives it over gRPC the way `pulumi up` / `pulumi refresh` do.
 */
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_TEST_API_KEY,
  startEmulator,
  type JobLatencySettings,
  type RunningEmulator,
} from "../emulator";
import { assembleHostStack, type HostStack } from "../testkit/providerStack";

/** A running (plain) emulator + host + engine. */
export type BenchStack = HostStack<RunningEmulator>;

/** Starts an emulator with the real rate limits and the given job latency model. */
export function startBenchEmulator(latency: JobLatencySettings): Promise<RunningEmulator> {
  return startEmulator({
    rateLimits: { ...DEFAULT_RATE_LIMITS },
    jobs: { ...latency },
    requestLogSize: 50_000,
  });
}

/** Starts the whole stack. */
export async function startBenchStack(latency: JobLatencySettings): Promise<BenchStack> {
  const emulator = await startBenchEmulator(latency);
  return assembleHostStack(emulator, DEFAULT_TEST_API_KEY, { rpcTimeoutMs: 3_600_000 });
}

/** `count` distinct 12-character codes (`<prefix><digits>`), like a shop's generated pool. */
export function benchCodes(prefix: string, count: number, start = 0): string[] {
  const digits = 12 - prefix.length;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i).padStart(digits, "0")}`);
}
