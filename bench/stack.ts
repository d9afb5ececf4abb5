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
import { EngineSimulator, secret } from "../tests/harness/engine";
import { makeProjectDir, type ProjectDir } from "../tests/harness/projectDir";
import { startProviderHost, type ProviderHost } from "../tests/harness/providerHost";
import { BATCH_TYPE, COUPON_TYPE, providerTexts } from "../tests/support/providerStack";

export { BATCH_TYPE, COUPON_TYPE };

/** A running emulator + host + engine. */
export interface BenchStack {
  emulator: RunningEmulator;
  apiKey: string;
  project: ProjectDir;
  host: ProviderHost;
  engine: EngineSimulator;
  batchProvider: string;
  couponProvider: string;
  /** Replaces the host with a fresh process (fresh memory high-water mark); the engine keeps its state. */
  restartHost(): Promise<void>;
  close(): Promise<void>;
}

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
  const texts = await providerTexts();
  const emulator = await startBenchEmulator(latency);
  const project = await makeProjectDir();
  const config = { "klaviyo:apiKey": secret(DEFAULT_TEST_API_KEY), "klaviyo:baseUrl": emulator.url };
  const startHost = () =>
    startProviderHost({ cwd: project.dir, project: project.project, rpcTimeoutMs: 3_600_000 });
  const host = await startHost();
  const engine = new EngineSimulator(host, { provider: texts.coupon, project: project.project });
  await engine.configure(config);
  const stack: BenchStack = {
    emulator,
    apiKey: DEFAULT_TEST_API_KEY,
    project,
    host,
    engine,
    batchProvider: texts.batch,
    couponProvider: texts.coupon,
    async restartHost() {
      await stack.host.stop().catch(() => undefined);
      stack.host = await startHost();
      stack.engine.useHost(stack.host);
      await stack.engine.configure(config);
    },
    async close() {
      await stack.host.stop().catch(() => undefined);
      await emulator.close();
      await project.cleanup();
    },
  };
  return stack;
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
