/**
 * Everything an engine-protocol test of the real resources needs: the emulator (spec-validated,
 * real rate limits unless told otherwise), a user-like project directory, the SDK's real
 * dynamic-provider host, an engine simulator configured with the stack config, and the
 * `__provider` texts the SDK serializes for real `Coupon` and `CouponCodeBatch` objects.
 */
import { captureProviderText } from "./harness/captureProvider";
import { EngineSimulator, secret } from "./harness/engine";
import { makeProjectDir, type ProjectDir } from "./harness/projectDir";
import { startProviderHost, type ProviderHost } from "./harness/providerHost";
import { startTestEmulator, type TestEmulator } from "./emulator";
import type { EmulatorOptions, RunningEmulator } from "../emulator";
import { Coupon } from "../provider/coupon/resource";
import { CouponCodeBatch } from "../provider/batch/resource";

/** Type token of `Coupon`. */
export const COUPON_TYPE = "pulumi-nodejs:dynamic/klaviyo:Coupon";
/** Type token of `CouponCodeBatch`. */
export const BATCH_TYPE = "pulumi-nodejs:dynamic/klaviyo:CouponCodeBatch";

/** A running emulator (of type `E`) + provider host + engine. */
export interface HostStack<E extends RunningEmulator> {
  emulator: E;
  /** The API key the emulator accepts, configured as the secret `klaviyo:apiKey`. */
  apiKey: string;
  project: ProjectDir;
  host: ProviderHost;
  engine: EngineSimulator;
  couponProvider: string;
  batchProvider: string;
  /** Starts a fresh host (e.g. after killing one); the engine keeps its state and configures it again. */
  restartHost(): Promise<void>;
  close(): Promise<void>;
}

/** The stack tests use: its emulator validates every response against the spec. */
export type ProviderStack = HostStack<TestEmulator>;

let cachedTexts: { coupon: string; batch: string } | undefined;

/** The `__provider` texts of real resources, serialized by the SDK under mocks (cached per process). */
async function providerTexts(): Promise<{ coupon: string; batch: string }> {
  if (!cachedTexts) {
    const coupon = await captureProviderText(() => new Coupon("capture", { externalId: "CAPTURE" }));
    const batch = await captureProviderText(
      () => new CouponCodeBatch("capture", { couponId: "CAPTURE", codes: ["A1"] }),
    );
    cachedTexts = { coupon, batch };
  }
  return cachedTexts;
}

/** Options of {@link startProviderStack}. */
export interface ProviderStackOptions {
  emulator?: EmulatorOptions;
  /** Extra stack config (namespaced keys); `klaviyo:apiKey` (secret) and `klaviyo:baseUrl` are set for you. */
  config?: Record<string, string>;
  /** Extra environment of the host process. */
  hostEnv?: Record<string, string>;
}

/** Starts the whole stack; call `close()` in `after`. */
export async function startProviderStack(options: ProviderStackOptions = {}): Promise<ProviderStack> {
  const emulator = await startTestEmulator(options.emulator);
  return assembleHostStack(emulator, emulator.apiKey, {
    config: options.config,
    hostEnv: options.hostEnv,
    rpcTimeoutMs: 900_000,
  });
}

/**
 * Mocha hooks around one stack for a `describe`: started in `before` (then `setup`, if given), faults
 * cleared after each test, and in `after` the emulator's spec check and `close()`. Returns a stand-in
 * that reads through to the stack once `before` has run.
 */
export function useProviderStack(
  options: ProviderStackOptions = {},
  setup?: (stack: ProviderStack) => Promise<unknown>,
): ProviderStack {
  const holder: { stack?: ProviderStack } = {};
  before(async () => {
    holder.stack = await startProviderStack(options);
    await setup?.(holder.stack);
  });
  afterEach(() => holder.stack?.emulator.control.clearFaults());
  after(async () => {
    holder.stack?.emulator.assertNoSpecViolations();
    await holder.stack?.close();
  });
  return new Proxy({} as ProviderStack, {
    get: (_target, key) => {
      if (!holder.stack) throw new Error("the provider stack exists only inside tests (after `before` ran)");
      return holder.stack[key as keyof ProviderStack];
    },
  });
}

/**
 * Builds project directory, provider host and configured engine around an emulator that is
 * already running; `close()` stops all of them, the emulator included.
 */
export async function assembleHostStack<E extends RunningEmulator>(
  emulator: E,
  apiKey: string,
  options: { config?: Record<string, string>; hostEnv?: Record<string, string>; rpcTimeoutMs: number },
): Promise<HostStack<E>> {
  const texts = await providerTexts();
  const project = await makeProjectDir();
  const config = {
    "klaviyo:apiKey": secret(apiKey),
    "klaviyo:baseUrl": emulator.url,
    ...options.config,
  };
  const startHost = () =>
    startProviderHost({
      cwd: project.dir,
      project: project.project,
      env: options.hostEnv,
      rpcTimeoutMs: options.rpcTimeoutMs,
    });
  const host = await startHost();
  const engine = new EngineSimulator(host, { provider: texts.coupon, project: project.project });
  await engine.configure(config);
  const stack: HostStack<E> = {
    emulator,
    apiKey,
    project,
    host,
    engine,
    couponProvider: texts.coupon,
    batchProvider: texts.batch,
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
