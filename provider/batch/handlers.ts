/**
 * The `CouponCodeBatch` dynamic-provider handlers, loaded at run time by the shim in
 * `resource.ts`.
 *
 * Handler -> Klaviyo calls:
 * - check, diff: none (check adds `codeChanges`, what the change does, to the inputs the preview shows).
 * - create:  GET /api/coupons/{id}; GET /api/coupon-codes?filter=equals(coupon.id,..) (adopt
 *            codes that already exist); POST /api/coupon-code-bulk-create-jobs per 1000 codes and
 *            GET /api/coupon-code-bulk-create-jobs/{id} to poll; PATCH /api/coupon-codes/{id} for
 *            adopted codes whose expiry differs; a final GET /api/coupon-codes listing (the truth).
 * - update:  a listing first when `fail-if-assigned` removes codes or `adoptExisting` is false (what
 *            can refuse is asked before anything changes); PATCH /api/coupon-codes/{id} (expiry),
 *            DELETE /api/coupon-codes/{id} (removed codes, per delete policy), bulk jobs for added
 *            codes, then the listing.
 * - read:    GET /api/coupons/{id}, then the listing: for a large batch, `expires_at` windows at once plus
 *            GET /api/coupon-codes/{id} for state codes none returned (`partitionedListing.ts`).
 * - delete:  DELETE /api/coupon-codes/{id} per code under the delete policy (a listing first for
 *            `fail-if-assigned`).
 */
import { randomBytes } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isKlaviyoError } from "../client";
import {
  codeSource,
  converge,
  expiryProblem,
  progressFor,
  redacting,
  refuseExisting,
  reportShared,
  requireCoupon,
} from "./apply";
import { checkBatchInputs } from "./check";
import { codeDelta, desiredCodes, sameCodes } from "./codes";
import { summariseFailures } from "./errors";
import { listCouponCodes } from "./listing";
import type { LiveCode } from "./mappers";
import { batchInputsFrom, batchSettings, replacingBatchInputs, type BatchInputs } from "./inputs";
import {
  batchStateAndInputsFrom,
  batchStateFrom,
  buildOutputs,
  storedExpiryRange,
  storedOutputs,
  type BatchState,
} from "./outputs";
import { describeListing, listStateCodes, type ExpiryRange } from "./partitionedListing";
import { assertRemovable, patchExpiry, removeCodes } from "./removal";
import { recordDeclared, splitByDeclared } from "./declaredCodes";
import { drawingSpec, generatedPoolChanged, planPruning, prune, pruningDue, stockLines } from "./stock";
import { codeSecretIfConfigured, getClient, getCodeSecret } from "../runtime";
import { CODE_CHANGES_KEY, codeChangesOf, replacementLine } from "./codeChanges";
import { containsUnknown, plain, sameOptional } from "../values";
import { type WithProvider } from "../inputs";

export { configure } from "../host/configure";

/**
 * Validates and normalises inputs (no HTTP); listed codes are returned packed. Valid inputs gain
 * `codeChanges`, what they change against `olds` (the inputs applied last), for the preview to show.
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
  const { inputs, failures, codes } = checkBatchInputs(news);
  const { couponId, generationSeed } = inputs;
  // Every batch of the program passes here, so removals can spare codes another batch still declares.
  if (codes && typeof couponId === "string") {
    recordDeclared(couponId, typeof generationSeed === "string" ? generationSeed : "", codes);
  }
  if (failures.length === 0) {
    inputs[CODE_CHANGES_KEY] = codeChangesOf(olds, inputs, codes, await codeSecretIfConfigured());
  }
  return { inputs, failures };
}

/**
 * `couponId` replaces; code, expiry and setting changes update in place. Linear in the code count.
 * What replaces is compared as received, before anything is read: in a preview (and in the diff of a
 * dependent before its coupon is replaced) `news` may hold the engine's unknown sentinel.
 */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const replaces = replacingBatchInputs().filter((name) => olds[name] !== news[name]);
  if (replaces.length > 0) {
    console.log(replacementLine(olds, news));
    return { changes: true, replaces };
  }
  if (containsUnknown(news)) return { changes: true, replaces: [] };
  const o = batchStateFrom(olds);
  const n = batchInputsFrom(news);
  const changed =
    o.failedCount > 0 ||
    o.pendingCodes.length > 0 ||
    !sameOptional(o.expiresAt, n.expiresAt) ||
    batchSettings().some((k) => o[k] !== n[k]) ||
    o.secretCodes !== (n.secretCodes !== false) ||
    o.pruneExpired !== (n.pruneExpired === true) ||
    pruningDue(o, n) ||
    (n.codes
      ? o.generate !== null || !sameCodes(o.codes, n.codes)
      : JSON.stringify(o.generate) !== JSON.stringify(n.generate) ||
        (n.generate !== undefined && generatedPoolChanged(o, n.generate)));
  // Said in the preview too: what the stored counts make this apply do, and why.
  for (const line of stockLines(o, n)) console.log(line);
  return { changes: changed, replaces: [] };
}

/** Creates the batch: adopts codes that already exist, uploads the rest. Safe to re-run after any failure. */
export async function create(raw: Record<string, unknown>): Promise<dynamic.CreateResult> {
  const inputs = batchInputsFrom(raw);
  return redacting(inputs.couponId, [inputs.codes], () => createBatch(inputs));
}

async function createBatch(inputs: WithProvider<BatchInputs>): Promise<dynamic.CreateResult> {
  const client = await getClient();
  await requireCoupon(client, inputs.couponId);
  const id = `${inputs.couponId}/${randomBytes(6).toString("hex")}`;
  const before = await listCouponCodes(client, inputs.couponId);
  // Derived, not drawn at random: a re-run after a crash, a timeout or a lost state repeats exactly
  // these codes, and the ones already uploaded are adopted instead of orphaned.
  const drawing = inputs.generate ? { ...inputs, generate: drawingSpec(inputs.generate, 0, null) } : inputs;
  const desired = desiredCodes(drawing, [], await codeSource(inputs));
  if (inputs.generate) recordDeclared(inputs.couponId, inputs.generationSeed ?? "", desired);
  refuseExisting(
    inputs,
    desired.filter((c) => before.has(c)),
  );
  const state = {
    retainedCodes: 0,
    problems: [] as string[],
    expiresAtOverride: undefined as string | null | undefined,
    knownIsListing: true,
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
    // The listing no longer shows the patched codes' expiry: the truth needs a listing after the upload.
    if (wrongExpiry.length > 0) state.knownIsListing = false;
  }
  const outs = await converge(client, id, inputs, desired, before, state);
  return { id, outs: plain(storedOutputs(outs)) };
}

/** Applies added and removed codes, expiry changes and settings. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const old = batchStateFrom(olds);
  const inputs = batchInputsFrom(news);
  return redacting(inputs.couponId, [old.codes, old.pendingCodes, inputs.codes], () =>
    updateBatch(id, old, inputs),
  );
}

async function updateBatch(id: string, old: BatchState, inputs: WithProvider<BatchInputs>) {
  const client = await getClient();
  const progress = progressFor(inputs.couponId);
  const problems: string[] = [];
  const pruning = inputs.pruneExpired ? await planPruning(client, inputs.couponId, old.codes) : undefined;
  const gone = new Set(pruning?.expired ?? []);
  const confirmed = gone.size > 0 ? old.codes.filter((c) => !gone.has(c)) : old.codes;
  // Codes an earlier apply drew but never saw in Klaviyo come back first, so no new ones replace them.
  const current = [...confirmed, ...old.pendingCodes];
  const drawing = inputs.generate
    ? { ...inputs, generate: drawingSpec(inputs.generate, current.length, old.availableCodes) }
    : inputs;
  const desired = desiredCodes(drawing, current, await codeSource(inputs));
  if (inputs.generate) recordDeclared(inputs.couponId, inputs.generationSeed ?? "", desired);
  const delta = codeDelta(current, desired);
  // Codes another batch of the program still declares are left in Klaviyo and to that batch.
  const { free: toRemove, shared } = splitByDeclared(
    inputs.couponId,
    inputs.generationSeed ?? "",
    delta.removed,
  );
  reportShared(inputs.couponId, shared);
  let expiresAtOverride: string | null | undefined;
  // What can refuse is asked before anything changes: a refusal then leaves Klaviyo as it was.
  await assertRemovable(client, inputs.couponId, toRemove, inputs.deletePolicy);
  if (inputs.adoptExisting === false && delta.added.length > 0) {
    const live = await listCouponCodes(client, inputs.couponId);
    refuseExisting(
      inputs,
      delta.added.filter((c) => live.has(c)),
    );
  }
  if (!sameOptional(old.expiresAt, inputs.expiresAt)) {
    const removed = new Set(delta.removed);
    const targets = confirmed.filter((c) => !removed.has(c));
    const errors = await patchExpiry(client, inputs.couponId, targets, inputs.expiresAt ?? null, progress);
    if (errors.size > 0) {
      problems.push(expiryProblem(inputs.couponId, errors, inputs.expiresAt ?? null));
      expiresAtOverride = old.expiresAt;
    }
  }
  // Pruned only now, after every refusal: a refused apply leaves Klaviyo as it was.
  const pruned = pruning ? await prune(client, inputs.couponId, pruning, progress) : undefined;
  if (pruned && pruned.errors.size > 0) {
    problems.push(
      `${pruned.errors.size} expired codes could not be deleted (${summariseFailures(pruned.errors)})`,
    );
  }
  const removal = await removeCodes(client, inputs.couponId, toRemove, inputs.deletePolicy, progress);
  if (removal.errors.size > 0)
    problems.push(`${removal.errors.size} codes could not be deleted (${summariseFailures(removal.errors)})`);
  const known = new Set(confirmed);
  const knownLive = new Map<string, LiveCode>();
  for (const c of known) knownLive.set(c, { status: null, expiresAt: null, profileId: null });
  const outs = await converge(client, id, inputs, desired, knownLive, {
    retainedCodes: old.retainedCodes + removal.retained.length + shared.length,
    inState: new Set(old.codes),
    problems,
    expiresAtOverride,
    // Codes whose DELETE failed stay in the batch until a later apply deletes them.
    undeleted: [...removal.errors.keys(), ...(pruned?.kept ?? [])],
  });
  return { outs: plain(storedOutputs(outs)) };
}

/** Refresh: codes deleted outside Pulumi leave the state; statuses are reported, never drift. */
export async function read(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const { state: old, inputs } = batchStateAndInputsFrom(props);
  return redacting(old.couponId, [old.codes, old.pendingCodes], () =>
    readBatch(id, old, inputs, storedExpiryRange(props)),
  );
}

async function readBatch(
  id: string,
  old: BatchState,
  inputs: BatchInputs,
  expiryRange: ExpiryRange | null,
): Promise<dynamic.ReadResult> {
  const client = await getClient();
  try {
    await client.getCoupon(old.couponId);
  } catch (err) {
    if (isKlaviyoError(err) && err.status === 404) return { id: "", props: {} };
    throw err;
  }
  // Only the state's codes are asked about below, so the listing may skip other batches' codes.
  const listing = await listStateCodes(client, old.couponId, { ...old, expiryRange });
  const line = describeListing(listing);
  if (line) progressFor(old.couponId).update(line, true);
  const live = listing.live;
  const pending = old.pendingCodes;
  // A pending code that has appeared (a job that outlived its timeout) now belongs to the batch.
  const existing = [...old.codes, ...pending].filter((c) => live.has(c));
  const failures = new Map(old.failedCodes.map((f) => [f.code, f.reason] as [string, string]));
  const outs = buildOutputs(inputs, existing, live, failures, {
    secret: await getCodeSecret(),
    retainedCodes: old.retainedCodes,
    jobIds: old.jobIds,
    pendingCodes: pending.filter((c) => !live.has(c)),
    adoptedCodes: old.adoptedCodes,
    addedCodes: old.addedCodes.filter((c) => live.has(c)),
  });
  outs.failedCount = old.failedCount;
  return { id, props: plain(storedOutputs(outs)) };
}

/** Destroys the batch under its delete policy; held codes are retained and reported, not an error. */
export async function remove(_id: string, props: Record<string, unknown>): Promise<void> {
  const old = batchStateFrom(props);
  return redacting(old.couponId, [old.codes, old.pendingCodes], () => removeBatch(old));
}

async function removeBatch(old: BatchState): Promise<void> {
  const client = await getClient();
  const progress = progressFor(old.couponId);
  // Pending codes may exist by now (a job that outlived its timeout): they go too, or they would be orphans.
  const { free: codes, shared } = splitByDeclared(old.couponId, old.generationSeed ?? "", [
    ...old.codes,
    ...old.pendingCodes,
  ]);
  reportShared(old.couponId, shared);
  await assertRemovable(client, old.couponId, codes, old.deletePolicy);
  const report = await removeCodes(client, old.couponId, codes, old.deletePolicy, progress);
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
