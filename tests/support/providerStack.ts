/**
 * Everything an engine-protocol test of the real resources needs: the emulator (spec-validated,
 * real rate limits unless told otherwise), a user-like project directory, the SDK's real
 * dynamic-provider host, an engine simulator configured with the stack config, and the
 * `__provider` texts the SDK serializes for real `Coupon` and `CouponCodeBatch` objects.
 */
import { captureProviderText } from "../harness/captureProvider";
import { EngineSimulator, secret } from "../harness/engine";
import { makeProjectDir, type ProjectDir } from "../harness/projectDir";
import { startProviderHost, type ProviderHost } from "../harness/providerHost";
import { startTestEmulator, type TestEmulator } from "./emulator";
import type { EmulatorOptions } from "../../emulator";
import { Coupon } from "../../provider/coupon";
import { CouponCodeBatch } from "../../provider/couponCodeBatch";

/** Type token of `Coupon`. */
export const COUPON_TYPE = "pulumi-nodejs:dynamic/klaviyo:Coupon";
/** Type token of `CouponCodeBatch`. */
export const BATCH_TYPE = "pulumi-nodejs:dynamic/klaviyo:CouponCodeBatch";

/** A running emulator + provider host + engine. */
export interface ProviderStack {
  emulator: TestEmulator;
  project: ProjectDir;
  host: ProviderHost;
  engine: EngineSimulator;
  couponProvider: string;
  batchProvider: string;
  /** Starts a fresh host (e.g. after killing one); the engine keeps its state and configures it again. */
  restartHost(): Promise<void>;
  close(): Promise<void>;
}

let cachedTexts: { coupon: string; batch: string } | undefined;

/** The `__provider` texts of real resources, serialized by the SDK under mocks (cached per process). */
export async function providerTexts(): Promise<{ coupon: string; batch: string }> {
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
  const texts = await providerTexts();
  const emulator = await startTestEmulator(options.emulator);
  const project = await makeProjectDir();
  const config = {
    "klaviyo:apiKey": secret(emulator.apiKey),
    "klaviyo:baseUrl": emulator.url,
    ...options.config,
  };
  const startHost = () =>
    startProviderHost({
      cwd: project.dir,
      project: project.project,
      env: options.hostEnv,
      rpcTimeoutMs: 900_000,
    });
  const host = await startHost();
  const engine = new EngineSimulator(host, { provider: texts.coupon, project: project.project });
  await engine.configure(config);
  const stack: ProviderStack = {
    emulator,
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
