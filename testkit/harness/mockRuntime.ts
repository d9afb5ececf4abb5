/**
 * `pulumi.runtime.setMocks` is process-global and "last one wins". Both users of mocks in the testkit
 * (`captureProvider.ts`, `programUnderMocks.ts`) install their own for one run and must then put back
 * whatever a spec had installed before.
 *
 * @packageDocumentation
 */

/**
 * If mocks were already installed, returns a function that puts their monitor and runtime options back.
 * Only those: restoring the rest of the store (for example its promise-leak set) would make the SDK
 * report settled promises as leaked at exit, and it sets a failing exit code when it does. (Uses the
 * SDK's internal runtime store; the SDK is pinned.)
 */
export function snapshotMockRuntime(): () => void {
  const state = require("@pulumi/pulumi/runtime/state") as {
    getStore(): { settings: { monitor?: unknown; options: Record<string, unknown> } };
  };
  const { settings } = state.getStore();
  if (settings.monitor === undefined || settings.options.monitorAddr !== "mock") return () => {};
  const monitor = settings.monitor;
  const options = { ...settings.options };
  return () => {
    settings.monitor = monitor;
    Object.assign(settings.options, options);
  };
}
