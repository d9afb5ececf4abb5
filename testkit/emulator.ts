/**
 * Starts the emulator for tests with every API response validated against the OpenAPI spec.
 *
 * ```ts
 * const emulator = useTestEmulator({ rateLimits: { enabled: false } });
 * it("...", async () => { const { url, apiKey } = emulator(); ... });
 * ```
 */
import {
  DEFAULT_TEST_API_KEY,
  startEmulator,
  type EmulatorOptions,
  type EmulatorSettings,
  type RunningEmulator,
} from "../emulator";
import { validateResponse } from "./specValidator";

/** A running emulator plus the spec violations seen so far. */
export type TestEmulator = RunningEmulator & {
  /** The API key the emulator accepts (the first of `apiKeys`). */
  apiKey: string;
  /** Spec violations of the responses so far, one line each. */
  violations(): string[];
  /** Throws (listing them) when any response violated the spec; also clears the list. */
  assertNoSpecViolations(): void;
};

/** Job latencies that keep tests fast; the rest of the options default to the emulator's. */
export const FAST_JOBS = { queuedMs: 5, processingMsPerJob: 10, processingMsPerCode: 0.01 };

/** Starts an emulator whose responses are checked against the spec (jobs default to {@link FAST_JOBS}). */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const found: string[] = [];
  const emulator = await startEmulator({
    ...options,
    jobs: { ...FAST_JOBS, ...options.jobs },
    onResponse(info) {
      const sparse = /(^|&)fields(%5B|\[)/i.test(info.query);
      for (const problem of validateResponse(info.operationId, info.status, info.body, sparse)) {
        found.push(`${info.method} ${info.path} -> ${info.status} (${info.operationId}): ${problem}`);
      }
      options.onResponse?.(info);
    },
  });
  return {
    ...emulator,
    apiKey: options.apiKeys?.[0] ?? DEFAULT_TEST_API_KEY,
    violations: () => [...found],
    assertNoSpecViolations() {
      if (found.length === 0) return;
      const message = `Responses violated the Klaviyo spec:\n  ${found.join("\n  ")}`;
      found.length = 0;
      throw new Error(message);
    },
  };
}

/**
 * Mocha helper: starts an emulator in `before`, checks spec conformance after each test, then resets its
 * state and restores its initial settings (unless `resetBetweenTests` is false), and closes it in `after`.
 * Returns an accessor for use inside tests.
 */
export function useTestEmulator(
  options: EmulatorOptions = {},
  hooks: { resetBetweenTests?: boolean } = {},
): () => TestEmulator {
  let emulator: TestEmulator | undefined;
  let initial: EmulatorSettings | undefined;
  before(async () => {
    emulator = await startTestEmulator(options);
    initial = emulator.control.settings();
  });
  afterEach(() => {
    if (!emulator) return;
    try {
      emulator.assertNoSpecViolations();
    } finally {
      if (hooks.resetBetweenTests !== false) {
        emulator.control.reset();
        emulator.control.configure(initial as EmulatorSettings);
      }
    }
  });
  after(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return () => {
    if (!emulator) throw new Error("the test emulator is only available inside tests (after `before` ran)");
    return emulator;
  };
}
