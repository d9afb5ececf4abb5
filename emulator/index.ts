/**
 * A stateful emulator of Klaviyo's Coupons API (revision 2026-07-15) on 127.0.0.1, for tests,
 * benchmarks and local runs. Node built-ins only: it ships in `dist/` and must not need dev dependencies.
 *
 * @packageDocumentation
 */
import type { AddressInfo } from "net";
import { DEFAULT_TEST_API_KEY } from "./config";
import { createControl } from "./control";
import { createEmulatorServer } from "./server";
import { createState } from "./state";
import type { EmulatorOptions, RunningEmulator } from "./types";

export { DEFAULT_TEST_API_KEY, DEFAULT_JOB_LATENCY, DEFAULT_LIMITS, DEFAULT_RATE_LIMITS } from "./config";
export type * from "./types";

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = createState(options, [DEFAULT_TEST_API_KEY]);
  const control = createControl(state);
  const { server, setBaseUrl, clearDelays } = createEmulatorServer(state, control);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  setBaseUrl(url);
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        state.jobs.reset();
        clearDelays();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
