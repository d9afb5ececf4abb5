/**
 * The `CouponCodeBatch` dynamic-provider handlers, loaded at run time by the shim in
 * `couponCodeBatch.ts`.
 *
 * Handler -> Klaviyo calls:
 * - check, diff: none.
 * - create:  GET /api/coupons/{id}; GET /api/coupon-codes?filter=equals(coupon.id,..) (adopt
 *            codes that already exist); POST /api/coupon-code-bulk-create-jobs per 1000 codes and
 *            GET /api/coupon-code-bulk-create-jobs/{id} to poll; PATCH /api/coupon-codes/{id} for
 *            adopted codes whose expiry differs; a final GET /api/coupon-codes listing (the truth).
 * - update:  PATCH /api/coupon-codes/{id} (expiry), DELETE /api/coupon-codes/{id} (removed codes,
 *            per delete policy), bulk jobs for added codes, then the listing.
 * - read:    GET /api/coupons/{id}, then the listing.
 * - delete:  DELETE /api/coupon-codes/{id} per code under the delete policy (a listing first for
 *            `fail-if-assigned`).
 */
import { randomBytes } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isKlaviyoError, type KlaviyoClient } from "./client";
import { checkBatchInputs } from "./batchCheck";
import { codeDelta, desiredCodes, sameCodes } from "./batchCodes";
import { explainExpirationConflicts, partialStateError, summariseFailures } from "./batchErrors";
import { listCouponCodes, type LiveCode } from "./batchListing";
import { buildOutputs, type BatchInputs, type BatchOutputs } from "./batchOutputs";
import { patchExpiry, removeCodes } from "./batchRemoval";
import { uploadCodes } from "./batchUpload";
import { codeSet, redactError } from "./codeRedaction";
import { createProgress, type Progress } from "./progress";
import { getClient } from "./runtimeConfig";
import { containsUnknown, plain, sameOptional } from "./values";

export { configure } from "./hostConfigure";

/** Validates and normalises inputs (no HTTP). */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkBatchInputs(news);
}

const SETTINGS = ["deletePolicy", "maxConcurrentJobs", "jobTimeoutSeconds"] as const;

/** `couponId` replaces; code, expiry and setting changes update in place. Linear in the code count. */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  if (olds.couponId !== news.couponId) return { changes: true, replaces: ["couponId"] };
  const o = olds as unknown as BatchOutputs;
  const n = news as unknown as BatchInputs;
  const changed =
    containsUnknown(news) ||
    (o.failedCount ?? 0) > 0 ||
    !sameOptional(o.expiresAt, n.expiresAt) ||
    SETTINGS.some((k) => o[k] !== n[k]) ||
    (o.secretCodes !== false) !== (n.secretCodes !== false) ||
    (n.codes
      ? o.generate !== null || !sameCodes(o.codes ?? [], n.codes)
      : JSON.stringify(o.generate) !== JSON.stringify(n.generate) ||
        (o.codes ?? []).length !== n.generate!.count);
  return { changes: changed, replaces: [] };
}

function progressFor(couponId: string): Progress {
  return createProgress(`coupon ${couponId}`);
}

/** Uploads what is missing, then reads back the truth and builds outputs or a partial-state error. */
async function converge(
  client: KlaviyoClient,
  id: string,
  inputs: BatchInputs & { __provider?: string },
  desired: string[],
  known: Map<string, LiveCode> | null,
  state: { retainedCodes: number; problems: string[]; expiresAtOverride?: string | null },
): Promise<BatchOutputs> {
  const progress = progressFor(inputs.couponId);
  const missing = known ? desired.filter((c) => !known.has(c)) : desired;
  const failures = new Map<string, string>();
  let jobIds: string[] = [];
  try {
    const report = await uploadCodes(client, {
      couponId: inputs.couponId,
      codes: missing,
      expiresAt: inputs.expiresAt ?? null,
      maxConcurrentJobs: inputs.maxConcurrentJobs,
      jobTimeoutMs: inputs.jobTimeoutSeconds * 1000,
      progress,
    });
    jobIds = report.jobIds;
    for (const [code, reason] of report.failures) failures.set(code, reason);
  } catch (err) {
    state.problems.push(`upload stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
  const live = await listCouponCodes(client, inputs.couponId);
  const existing = desired.filter((c) => live.has(c));
  for (const c of desired) {
    if (!live.has(c) && !failures.has(c)) failures.set(c, "not found in Klaviyo after the upload");
  }
  for (const c of existing) failures.delete(c); // e.g. "already exists": adopted, not a failure
  const outs = buildOutputs(inputs, existing, live, failures, { retainedCodes: state.retainedCodes, jobIds });
  // A failed expiry patch must show up as a difference on the next up, so record the old value.
  if (state.expiresAtOverride !== undefined) outs.expiresAt = state.expiresAtOverride;
  if (failures.size > 0 || state.problems.length > 0) {
    const conflict = explainExpirationConflicts(inputs.couponId, failures, inputs.expiresAt ?? null);
    const reasons = [...state.problems];
    if (failures.size > 0) {
      reasons.push(
        conflict ??
          `${failures.size} of ${desired.length} codes are not in Klaviyo (${summariseFailures(failures)}); ` +
            `run pulumi up again to retry only those`,
      );
    }
    throw partialStateError(
      `CouponCodeBatch for coupon "${inputs.couponId}": ${reasons.join("; ")}`,
      id,
      plain({ ...outs, __provider: inputs.__provider }),
      reasons,
    );
  }
  return outs;
}

function expiryProblem(couponId: string, errors: Map<string, string>, sent: string | null): string {
  return (
    explainExpirationConflicts(couponId, errors, sent) ??
    `${errors.size} codes' expiry could not be updated (${summariseFailures(errors)})`
  );
}

async function requireCoupon(client: KlaviyoClient, couponId: string): Promise<void> {
  try {
    await client.getCoupon(couponId);
  } catch (err) {
    if (isKlaviyoError(err) && err.status === 404) {
      throw new Error(
        `Klaviyo coupon "${couponId}" does not exist; create it first (for example with a Coupon resource) ` +
          `and pass coupon.couponId as couponId`,
      );
    }
    throw err;
  }
}

/** Creates the batch: adopts codes that already exist, uploads the rest. Safe to re-run after any failure. */
export async function create(raw: Record<string, unknown>): Promise<dynamic.CreateResult> {
  const inputs = raw as unknown as BatchInputs & { __provider?: string };
  return redacting(inputs.couponId, [inputs.codes], () => createBatch(inputs));
}

async function createBatch(inputs: BatchInputs & { __provider?: string }): Promise<dynamic.CreateResult> {
  const client = await getClient();
  await requireCoupon(client, inputs.couponId);
  const id = `${inputs.couponId}/${randomBytes(6).toString("hex")}`;
  const before = await listCouponCodes(client, inputs.couponId);
  const desired = desiredCodes(inputs, [], before.keys());
  const state = {
    retainedCodes: 0,
    problems: [] as string[],
    expiresAtOverride: undefined as string | null | undefined,
  };
  if (inputs.expiresAt) {
    const wrongExpiry = desired.filter((c) => {
      const at = before.get(c)?.expiresAt;
      return at !== undefined && (at === null || Date.parse(at) !== Date.parse(inputs.expiresAt!));
    });
    const errors = await patchExpiry(
      client,
      inputs.couponId,
      wrongExpiry,
      inputs.expiresAt,
      progressFor(inputs.couponId),
    );
    if (errors.size > 0) {
      state.problems.push(expiryProblem(inputs.couponId, errors, inputs.expiresAt ?? null));
      state.expiresAtOverride = null;
    }
  }
  const outs = await converge(client, id, inputs, desired, before, state);
  return { id, outs: plain(outs) };
}

/** Applies added and removed codes, expiry changes and settings. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const old = olds as unknown as BatchOutputs;
  const inputs = news as unknown as BatchInputs & { __provider?: string };
  return redacting(inputs.couponId, [old.codes, inputs.codes], () => updateBatch(id, old, inputs));
}

async function updateBatch(id: string, old: BatchOutputs, inputs: BatchInputs & { __provider?: string }) {
  const client = await getClient();
  const current = old.codes ?? [];
  const desired = desiredCodes(inputs, current);
  const delta = codeDelta(current, desired);
  const progress = progressFor(inputs.couponId);
  const problems: string[] = [];
  let expiresAtOverride: string | null | undefined;
  if (!sameOptional(old.expiresAt, inputs.expiresAt)) {
    const removed = new Set(delta.removed);
    const targets = current.filter((c) => !removed.has(c));
    const errors = await patchExpiry(client, inputs.couponId, targets, inputs.expiresAt ?? null, progress);
    if (errors.size > 0) {
      problems.push(expiryProblem(inputs.couponId, errors, inputs.expiresAt ?? null));
      expiresAtOverride = old.expiresAt ?? null;
    }
  }
  const removal = await removeCodes(client, inputs.couponId, delta.removed, inputs.deletePolicy, progress);
  if (removal.errors.size > 0)
    problems.push(`${removal.errors.size} codes could not be deleted (${summariseFailures(removal.errors)})`);
  const known = new Set(current);
  const knownLive = new Map<string, LiveCode>();
  for (const c of known) knownLive.set(c, { status: null, expiresAt: null, profileId: null });
  const outs = await converge(client, id, inputs, desired, knownLive, {
    retainedCodes: (old.retainedCodes ?? 0) + removal.retained.length,
    problems,
    expiresAtOverride,
  });
  return { outs: plain(outs) };
}

/** Refresh: codes deleted outside Pulumi leave the state; statuses are reported, never drift. */
export async function read(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const old = props as unknown as BatchOutputs;
  return redacting(old.couponId, [old.codes], () => readBatch(id, old));
}

async function readBatch(id: string, old: BatchOutputs): Promise<dynamic.ReadResult> {
  const client = await getClient();
  try {
    await client.getCoupon(old.couponId);
  } catch (err) {
    if (isKlaviyoError(err) && err.status === 404) return { id: "", props: {} };
    throw err;
  }
  const live = await listCouponCodes(client, old.couponId);
  const existing = (old.codes ?? []).filter((c) => live.has(c));
  const failures = new Map((old.failedCodes ?? []).map((f) => [f.code, f.reason] as [string, string]));
  const outs = buildOutputs(
    { ...old, generate: old.generate ?? undefined, expiresAt: old.expiresAt ?? undefined } as BatchInputs,
    existing,
    live,
    failures,
    { retainedCodes: old.retainedCodes ?? 0, jobIds: old.jobIds ?? [] },
  );
  outs.failedCount = old.failedCount ?? 0;
  return { id, props: plain(outs) };
}

/** Destroys the batch under its delete policy; held codes are retained and reported, not an error. */
export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const old = props as unknown as BatchOutputs;
  return redacting(old.couponId, [old.codes], () => removeBatch(old));
}

async function removeBatch(old: BatchOutputs): Promise<void> {
  const client = await getClient();
  const progress = progressFor(old.couponId);
  const report = await removeCodes(client, old.couponId, old.codes ?? [], old.deletePolicy, progress);
  if (report.errors.size > 0) {
    throw new Error(
      `CouponCodeBatch for coupon "${old.couponId}": ${report.errors.size} codes could not be deleted ` +
        `(${summariseFailures(report.errors)}); run pulumi destroy again`,
    );
  }
  if (report.retained.length > 0) {
    console.log(
      `[klaviyo] coupon ${old.couponId}: ${report.retained.length} codes retained in Klaviyo ` +
        `(${old.deletePolicy === "retain" ? "deletePolicy retain" : "held by profiles"}), ${report.deleted.length} deleted`,
    );
  }
}

/**
 * Runs a handler so that no code leaves in an error's text: Pulumi prints errors in plain text and keeps
 * a partial batch's reasons unencrypted, while codes are secret. The codes in a partial-state error's
 * properties (generated codes included) are redacted too.
 */
async function redacting<T>(
  couponId: string,
  lists: Array<unknown[] | null | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const partial = (err as { properties?: { codes?: unknown } }).properties?.codes;
    throw redactError(err, codeSet(...lists, Array.isArray(partial) ? partial : []), couponId);
  }
}
