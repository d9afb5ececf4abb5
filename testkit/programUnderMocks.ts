/**
 * Loads a Pulumi program module under `pulumi.runtime.setMocks` and records every resource it
 * registers (type, name, inputs including `__provider`) and its resolved stack outputs.
 *
 * Follows `testkit/harness/captureProvider.ts`: runs are queued (the runtime store is process-global),
 * mocks another spec installed are put back afterwards, and serialization failures, which the SDK only
 * reports as unhandled rejections, are turned into a rejected run.
 *
 * @packageDocumentation
 */
import { readStrings } from "../provider/packedStrings";
import * as pulumi from "@pulumi/pulumi";
import { snapshotMockRuntime } from "./harness/mockRuntime";
import { isWireSecret } from "./harness/secrets";
import { sleep } from "./sleep";

/** One resource the program registered. */
export interface RegisteredResource {
  /** Full type token, e.g. `pulumi-nodejs:dynamic/klaviyo:Coupon`. */
  type: string;
  name: string;
  /** Inputs as the engine would receive them: secrets in wire form, `__provider` as text. */
  inputs: Record<string, any>;
}

/** A stack output after the program ran: its value or the error it rejected with. */
export type SettledOutput = { value: unknown; secret: boolean } | { error: Error };

/** What {@link runProgramUnderMocks} observed. */
export interface ProgramRun {
  resources: RegisteredResource[];
  outputs: Record<string, SettledOutput>;
}

/** Options of {@link runProgramUnderMocks}. */
export interface RunOptions {
  /** Project name (the namespace of un-prefixed config keys). */
  project: string;
  /** Stack config, keys with namespace (`klaviyo:apiKey`) or without (project config). */
  config?: Record<string, string>;
  /** How many resources to wait for. */
  expectResources: number;
  /** Default 30 s. */
  timeoutMs?: number;
}

/** Outputs the mocks add to a resource's inputs, standing in for what the provider would return. */
function mockOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type.endsWith(":Coupon")) return { couponId: inputs.externalId };
  if (!type.endsWith(":CouponCodeBatch")) return {};
  // The constructor registers listed codes packed (see provider/packedStrings.ts).
  const codes = readStrings(unwrap(inputs.codes));
  const count = codes ? codes.length : Number(inputs.generate?.count ?? 0);
  return {
    codeCount: count,
    fingerprint: "mock-fingerprint",
    statusCounts: { UNASSIGNED: count },
    failedCodes: [],
    failedCount: 0,
    retainedCodes: 0,
    jobIds: [],
    expiryRange: null,
  };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs the program module at `modulePath` (a fresh load each time) under mocks. */
export function runProgramUnderMocks(modulePath: string, options: RunOptions): Promise<ProgramRun> {
  const run = queue.then(() => runOnce(modulePath, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(modulePath: string, options: RunOptions): Promise<ProgramRun> {
  const restoreMocks = snapshotMockRuntime();
  const previousConfig = pulumi.runtime.allConfig();
  const resources: RegisteredResource[] = [];
  const rejections: string[] = [];
  const onRejection = (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (/__provider|serializ/i.test(message)) rejections.push(message);
  };
  process.on("unhandledRejection", onRejection);
  try {
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config ?? {})) {
      config[k.includes(":") ? k : `${options.project}:${k}`] = v;
    }
    pulumi.runtime.setAllConfig(config, []);
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          resources.push({ type: args.type, name: args.name, inputs: args.inputs });
          return { id: `${args.name}-id`, state: { ...args.inputs, ...mockOutputs(args.type, args.inputs) } };
        },
        call: (args) => args.inputs,
      },
      options.project,
      "test",
      false,
    );
    const resolved = require.resolve(modulePath);
    delete require.cache[resolved];
    const exports = require(resolved) as Record<string, unknown>;
    await waitFor(
      () => resources.length >= options.expectResources || rejections.length > 0,
      options.timeoutMs ?? 30_000,
      () => `only ${resources.length} of ${options.expectResources} resources registered`,
    );
    if (rejections.length > 0) throw new Error(`the SDK failed to serialize a provider:\n${rejections[0]}`);
    const outputs: Record<string, SettledOutput> = {};
    for (const [name, value] of Object.entries(exports)) outputs[name] = await settle(value);
    return { resources, outputs };
  } finally {
    pulumi.runtime.setAllConfig(previousConfig, []);
    restoreMocks();
    // The SDK raises one rejection per awaiting consumer; absorb the stragglers before detaching.
    setTimeout(() => process.off("unhandledRejection", onRejection), 200).unref();
  }
}

async function settle(value: unknown): Promise<SettledOutput> {
  if (!pulumi.Output.isInstance(value)) return { value, secret: false };
  try {
    // `promise()` is the SDK's own accessor (internal, but the SDK is pinned); apply() would never run
    // for a rejected Output.
    const inner = await (value as unknown as { promise(): Promise<unknown> }).promise();
    return { value: inner, secret: await pulumi.isSecret(value) };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}

async function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`runProgramUnderMocks: ${describe()} within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** The value inside a wire-form secret, or `v` itself. */
export function unwrap(v: unknown): unknown {
  return isWireSecret(v) ? v.value : v;
}
