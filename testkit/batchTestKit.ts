/**
 * Helpers shared by the CouponCodeBatch engine-protocol specs and the benchmarks.
 */
import { strict as assert } from "assert";
import type { RunningEmulator } from "../emulator";
import { createKlaviyoClient, filter, type KlaviyoClient } from "../provider/client";
import { secret } from "./harness/engine";
import { isSecret } from "./harness/secrets";
import { packStrings, readStrings } from "../provider/packedStrings";
import { isHostRpcError, type HostRpcError } from "./harness/rpcError";
import { BATCH_TYPE, COUPON_TYPE, type HostStack, type ProviderStack } from "./providerStack";

/** Any stack with a provider host: the tests' (spec-validating emulator) or the benchmarks' (plain one). */
type AnyStack = HostStack<RunningEmulator>;

/** `count` distinct codes with a prefix. */
export function makeCodes(prefix: string, count: number, start = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i).padStart(6, "0")}`);
}

/** Outputs the `CouponCodeBatch` constructor always registers as secret. */
export const BATCH_SECRET_OUTPUTS = ["codes", "failedCodes", "pendingCodes"];

/**
 * The inputs as the `CouponCodeBatch` constructor registers them: `codes` packed into one string (a list
 * that is not all codes stays a list) and secret unless `secretCodes` is false. A spec
 * (`tests/unit/testkit/batchTestKit.spec.ts`) holds this to what the constructor does.
 */
export function registeredBatchInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const codes = Array.isArray(inputs.codes) ? (packStrings(inputs.codes) ?? inputs.codes) : inputs.codes;
  const secretInput = inputs.secretCodes !== false && codes !== undefined;
  return inputs.codes === undefined ? inputs : { ...inputs, codes: secretInput ? secret(codes) : codes };
}

/**
 * A stored code list (`codes`, `pendingCodes`) as the program reads it from the `CouponCodeBatch` class:
 * packed or a list, a secret wrapper removed.
 */
export function storedCodeList(value: unknown): string[] {
  // The harness wraps secrets as { secret }; the Automation API reports outputs as { value, secret }.
  const inner = isSecret(value) ? value.secret : isRecord(value) && "value" in value ? value.value : value;
  const codes = readStrings(inner);
  assert.ok(codes, `expected a stored code list, got ${typeof inner}`);
  return codes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Runs `up` on a batch the way the wrapper class registers it (see {@link registeredBatchInputs}). */
export function upBatch(stack: AnyStack, name: string, inputs: Record<string, unknown>) {
  return stack.engine.up(name, BATCH_TYPE, registeredBatchInputs(inputs), {
    provider: stack.batchProvider,
    additionalSecretOutputs: BATCH_SECRET_OUTPUTS,
  });
}

/** Like {@link upBatch} but for preview. */
export function previewBatch(stack: AnyStack, name: string, inputs: Record<string, unknown>) {
  return stack.engine.preview(name, BATCH_TYPE, registeredBatchInputs(inputs), {
    provider: stack.batchProvider,
    additionalSecretOutputs: BATCH_SECRET_OUTPUTS,
  });
}

/** Creates a coupon through the host. */
export function upCoupon(stack: AnyStack, name: string, externalId: string) {
  return stack.engine.up(name, COUPON_TYPE, { externalId, description: `${externalId} codes` });
}

/** A client for checking the emulator from the test process (without client-side pacing). */
export function testClient(stack: ProviderStack): KlaviyoClient {
  return createKlaviyoClient({
    apiKey: stack.emulator.apiKey,
    baseUrl: stack.emulator.url,
    retry: { maxAttempts: 8, baseDelayMs: 100 },
  });
}

/** Every code on the coupon in Klaviyo, with its status, as Klaviyo lists them (duplicates kept). */
export async function liveCodes(
  client: KlaviyoClient,
  couponId: string,
): Promise<Array<{ code: string; status: string | null; expiresAt: string | null }>> {
  const out: Array<{ code: string; status: string | null; expiresAt: string | null }> = [];
  for await (const page of client.getCouponCodes({ filter: filter.equals("coupon.id", couponId) })) {
    for (const c of page.data) {
      out.push({
        code: c.attributes.unique_code ?? "",
        status: c.attributes.status,
        expiresAt: c.attributes.expires_at,
      });
    }
  }
  return out;
}

/** Asserts Klaviyo holds exactly `expected` on the coupon: no duplicates, no orphans, none missing. */
export async function assertExactly(
  client: KlaviyoClient,
  couponId: string,
  expected: readonly string[],
): Promise<void> {
  const live = (await liveCodes(client, couponId)).map((c) => c.code);
  assert.equal(new Set(live).size, live.length, "duplicate codes in Klaviyo");
  const want = new Set(expected);
  const orphans = live.filter((c) => !want.has(c));
  const have = new Set(live);
  const missing = expected.filter((c) => !have.has(c));
  assert.deepEqual(
    { orphans: orphans.slice(0, 5), missing: missing.slice(0, 5) },
    { orphans: [], missing: [] },
  );
  assert.equal(live.length, expected.length);
}

/** Runs `fn`, expecting the host to report "created but failed to initialise"; returns the error. */
export async function expectPartial(fn: () => Promise<unknown>): Promise<HostRpcError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(isHostRpcError(err) && err.initFailed, `expected partial state, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the apply to fail with partial state");
}
