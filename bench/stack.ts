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

/**
 * `count` distinct codes of `prefix` plus random characters of the default alphabet, 12 characters in all,
 * as a shop's or the provider's generator makes them: unlike {@link benchCodes}, they compress no better
 * than real codes do, which matters wherever codes are stored packed. Seeded, so every run declares the
 * same codes.
 */
export function randomBenchCodes(prefix: string, count: number, seed = 1): string[] {
  const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  let state = seed >>> 0 || 1;
  const seen = new Set<string>();
  const codes: string[] = [];
  while (codes.length < count) {
    let code = prefix;
    while (code.length < 12) {
      // xorshift32: fast, and plenty for benchmark data (these are not real codes).
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      code += alphabet[(state >>> 0) % alphabet.length];
    }
    if (!seen.has(code)) {
      seen.add(code);
      codes.push(code);
    }
  }
  return codes;
}
