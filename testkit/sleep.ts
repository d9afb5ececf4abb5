/**
 * The one `sleep` of tests and benchmarks. Provider code keeps its own (`provider/concurrency.ts`,
 * `provider/client/retryPolicy.ts`): shipped code must not import the testkit.
 */

/** Resolves after `ms` milliseconds. The timer is not unref'ed: a spec waiting on it keeps the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
