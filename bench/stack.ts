/**
 * A benchmark stack: the emulator (plain, no spec validation, so it costs what the emulator costs), a
 * user-like project directory, the Pulumi SDK's REAL dynamic-provider host process, and the engine
 * simulator that drives it over gRPC the way `pulumi up` / `pulumi refresh` do.
 */
import {
  DEFAULT_TEST_API_KEY,
  startEmulator,
  type JobLatencySettings,
  type RunningEmulator,
} from "../emulator";
import { secret } from "../testkit/harness/engine";
import { assembleHostStack, BATCH_TYPE, COUPON_TYPE, type HostStack } from "../testkit/providerStack";

export { BATCH_TYPE, COUPON_TYPE };

/** A running (plain) emulator + host + engine. */
export type BenchStack = HostStack<RunningEmulator>;

/** Starts an emulator with the real rate limits and the given job latency model. */
export function startBenchEmulator(latency: JobLatencySettings): Promise<RunningEmulator> {
  return startEmulator({
    rateLimits: { enabled: true, scale: 1 },
    jobs: { ...latency },
    requestLogSize: 50_000,
  });
}

/** Starts the whole stack. */
export async function startBenchStack(latency: JobLatencySettings): Promise<BenchStack> {
  const emulator = await startBenchEmulator(latency);
  return assembleHostStack(emulator, DEFAULT_TEST_API_KEY, { rpcTimeoutMs: 3_600_000 });
}

/** `up` of a batch the way the `CouponCodeBatch` class registers it: `codes` secret in and out. */
export function upBatch(stack: BenchStack, name: string, inputs: Record<string, unknown>) {
  const wrapped = Array.isArray(inputs.codes) ? { ...inputs, codes: secret(inputs.codes) } : inputs;
  return stack.engine.up(name, BATCH_TYPE, wrapped, {
    provider: stack.batchProvider,
    additionalSecretOutputs: ["codes"],
  });
}

/** `up` of a coupon. */
export function upCoupon(stack: BenchStack, name: string, externalId: string) {
  return stack.engine.up(name, COUPON_TYPE, { externalId, description: `${externalId} (benchmark)` });
}

/** `count` distinct 12-character codes (`<prefix><digits>`), like a shop's generated pool. */
export function benchCodes(prefix: string, count: number, start = 0): string[] {
  const digits = 12 - prefix.length;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i).padStart(digits, "0")}`);
}
