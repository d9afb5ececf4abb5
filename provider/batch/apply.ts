/**
 * The steps of a `CouponCodeBatch` apply that create and update share: where generated codes come
 * from, converging on the declared codes (upload, then the listing that tells the truth, then outputs
 * or partial state), refusals made before anything changes, and keeping codes out of error text.
 */
import { explainExpirationConflicts, partialStateError, summariseFailures } from "./errors";
import { type CodeSource } from "./codes";
import { isKlaviyoError, type KlaviyoClient } from "../client";
import { listCouponCodes } from "./listing";
import type { LiveCode } from "./mappers";
import type { BatchInputs } from "./inputs";
import { buildOutputs, storedOutputs, type BatchOutputs } from "./outputs";
import { uploadCodes } from "./upload";
import { codeSet, redactError } from "./redaction";
import { createProgress, type Progress } from "./progress";
import { getCodeSecret } from "../runtime";
import { plain } from "../values";
import { readStrings } from "../packedStrings";
import { type WithProvider } from "../inputs";

/** The source of a batch's generated codes: keyed by the account's secret, scoped to seed and coupon. */
export async function codeSource(inputs: {
  couponId: string;
  generationSeed?: string | null;
}): Promise<CodeSource> {
  return { secret: await getCodeSecret(), scope: `${inputs.generationSeed ?? ""}\n${inputs.couponId}` };
}

/** Progress lines of one coupon's batch (`[klaviyo] coupon X: ...`). */
export function progressFor(couponId: string): Progress {
  return createProgress(`coupon ${couponId}`);
}

/** What an apply has learned before {@link converge}: removals, problems, codes already in state. */
export interface ConvergeState {
  retainedCodes: number;
  problems: string[];
  expiresAtOverride?: string | null;
  undeleted?: string[];
  /** Codes the batch already held before this apply (never counted as adopted). */
  inState?: Set<string>;
  /**
   * True when `known` is a listing of the coupon taken by this apply (create), so that together with
   * the codes the jobs returned it can stand for the listing after the upload.
   */
  knownIsListing?: boolean;
}

/** Uploads what is missing, then reads back the truth and builds outputs or a partial-state error. */
export async function converge(
  client: KlaviyoClient,
  id: string,
  inputs: WithProvider<BatchInputs>,
  desired: string[],
  known: Map<string, LiveCode> | null,
  state: ConvergeState,
): Promise<BatchOutputs> {
  const missing = known ? desired.filter((c) => !known.has(c)) : desired;
  const upload = await uploadMissing(client, inputs, missing, state.problems);
  const { jobIds, failures } = upload;
  const live =
    accountedFor(missing, upload, known, state) ??
    (await finalListing(client, inputs.couponId, known, state.problems));
  const { existing, adopted } = reconcile(desired, known, live, failures, state);
  if (adopted > 0) {
    console.warn(
      `[klaviyo] coupon ${inputs.couponId}: ${adopted} declared codes already existed in Klaviyo and were ` +
        "adopted (uploaded by an interrupted run, by another batch, or outside Pulumi); see adoptedCodes",
    );
  }
  const outs = buildOutputs(inputs, existing, live, failures, {
    secret: await getCodeSecret(),
    retainedCodes: state.retainedCodes,
    jobIds,
    // Listed codes come back from the program; generated ones only from here.
    pendingCodes: inputs.generate ? desired.filter((c) => !live.has(c)) : [],
    adoptedCodes: adopted,
    addedCodes: state.inState ? existing.filter((c) => !state.inState?.has(c)) : existing,
  });
  // A failed expiry patch must show up as a difference on the next up, so record the old value.
  if (state.expiresAtOverride !== undefined) outs.expiresAt = state.expiresAtOverride;
  if (failures.size > 0 || state.problems.length > 0) {
    throw partialState(id, inputs, outs, failures, desired.length, state.problems);
  }
  return outs;
}

/**
 * What exists after a clean upload, without listing: the listing this apply took before it plus the codes
 * the jobs returned as created. Undefined, so the caller lists, unless every uploaded code came back and
 * nothing failed, was left uncertain or went wrong; at 500,000 codes the listing alone would take over a
 * minute of the coupon-code read budget (5,000 pages at 3,500 a minute).
 */
function accountedFor(
  missing: string[],
  upload: { failures: Map<string, string>; uncertain: number; created: Map<string, LiveCode> },
  known: Map<string, LiveCode> | null,
  state: ConvergeState,
): Map<string, LiveCode> | undefined {
  if (!state.knownIsListing || !known) return undefined;
  if (upload.failures.size > 0 || upload.uncertain > 0 || state.problems.length > 0) return undefined;
  if (!missing.every((c) => upload.created.has(c))) return undefined;
  const live = new Map(known);
  for (const [code, read] of upload.created) live.set(code, read);
  return live;
}

/** Uploads `missing`; a stopped upload becomes a problem, since the listing after it tells the truth. */
async function uploadMissing(
  client: KlaviyoClient,
  inputs: BatchInputs,
  missing: string[],
  problems: string[],
): Promise<{
  jobIds: string[];
  failures: Map<string, string>;
  uncertain: number;
  created: Map<string, LiveCode>;
}> {
  const failures = new Map<string, string>();
  try {
    const report = await uploadCodes(client, {
      couponId: inputs.couponId,
      codes: missing,
      expiresAt: inputs.expiresAt ?? null,
      maxConcurrentJobs: inputs.maxConcurrentJobs,
      jobTimeoutMs: inputs.jobTimeoutSeconds * 1000,
      progress: progressFor(inputs.couponId),
    });
    for (const [code, reason] of report.failures) failures.set(code, reason);
    return { jobIds: report.jobIds, failures, uncertain: report.uncertain, created: report.created };
  } catch (err) {
    problems.push(`upload stopped: ${err instanceof Error ? err.message : String(err)}`);
    return { jobIds: [], failures, uncertain: 0, created: new Map() };
  }
}

/**
 * Settles each declared code against the listing: what exists, what failed (updating `failures`), and
 * how many existed before this apply created them (listed beforehand, or refused as duplicates).
 */
function reconcile(
  desired: string[],
  known: Map<string, LiveCode> | null,
  live: Map<string, LiveCode>,
  failures: Map<string, string>,
  state: ConvergeState,
): { existing: string[]; adopted: number } {
  const existing = [...desired, ...(state.undeleted ?? [])].filter((c) => live.has(c));
  for (const c of desired) {
    if (!live.has(c) && !failures.has(c)) failures.set(c, "not found in Klaviyo after the upload");
  }
  const adopted = desired.filter(
    (c) => live.has(c) && ((known?.has(c) && !state.inState?.has(c)) || failures.has(c)),
  ).length;
  for (const c of existing) failures.delete(c); // e.g. "already exists": adopted, not a failure
  return { existing, adopted };
}

/** The partial-state error of an apply that left codes missing or met problems. */
function partialState(
  id: string,
  inputs: WithProvider<BatchInputs>,
  outs: BatchOutputs,
  failures: Map<string, string>,
  declared: number,
  problems: string[],
): Error {
  const conflict = explainExpirationConflicts(inputs.couponId, failures, inputs.expiresAt ?? null);
  const reasons = [...problems];
  if (failures.size > 0) {
    reasons.push(
      conflict ??
        `${failures.size} of ${declared} codes are not in Klaviyo (${summariseFailures(failures)}); ` +
          `run pulumi up again to retry only those`,
    );
  }
  return partialStateError(
    `CouponCodeBatch for coupon "${inputs.couponId}": ${reasons.join("; ")}`,
    id,
    plain({ ...storedOutputs(outs), __provider: inputs.__provider }),
    reasons,
  );
}

/**
 * The listing after the upload, which tells what exists. When it fails, the state must still tell the
 * truth, so it falls back to the codes known to exist before the upload: the partial state then
 * under-reports (the next `pulumi up` adopts what was uploaded after all), and nothing is lost.
 */
async function finalListing(
  client: KlaviyoClient,
  couponId: string,
  known: Map<string, LiveCode> | null,
  problems: string[],
): Promise<Map<string, LiveCode>> {
  try {
    return await listCouponCodes(client, couponId);
  } catch (err) {
    problems.push(
      `listing the coupon's codes after the upload failed (${err instanceof Error ? err.message : String(err)}); ` +
        "the state keeps only codes known to exist before it, and the next pulumi up adopts the rest",
    );
    return new Map(known ?? []);
  }
}

/** Explains codes whose expiry could not be patched: the UI-coupon rule when one applies. */
export function expiryProblem(couponId: string, errors: Map<string, string>, sent: string | null): string {
  return (
    explainExpirationConflicts(couponId, errors, sent) ??
    `${errors.size} codes' expiry could not be updated (${summariseFailures(errors)})`
  );
}

/** Fails with how to fix it when the coupon does not exist. */
export async function requireCoupon(client: KlaviyoClient, couponId: string): Promise<void> {
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

/**
 * Runs a handler so that no code leaves in an error's text: Pulumi prints errors in plain text and keeps
 * a partial batch's reasons unencrypted, while codes are secret. The codes in a partial-state error's
 * properties (generated codes included) are redacted too.
 */
export async function redacting<T>(
  couponId: string,
  lists: Array<unknown[] | null | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const partial = (err as { properties?: { codes?: unknown; pendingCodes?: unknown } }).properties;
    throw redactError(
      err,
      codeSet(...lists, storedCodes(partial?.codes), storedCodes(partial?.pendingCodes)),
      couponId,
    );
  }
}

// The codes of a partial state, as storedOutputs packed them; whatever cannot be read adds nothing.
function storedCodes(value: unknown): string[] {
  try {
    return readStrings(value) ?? [];
  } catch {
    return [];
  }
}

/** Warns about codes leaving a batch that another batch of the program still declares (kept in Klaviyo). */
export function reportShared(couponId: string, shared: readonly string[]): void {
  if (shared.length === 0) return;
  console.warn(
    `[klaviyo] coupon ${couponId}: ${shared.length} codes leaving this batch are declared by another batch ` +
      "of this stack; they stay in Klaviyo",
  );
}

/** With `adoptExisting: false`, fails before anything changes when declared codes already exist. */
export function refuseExisting(inputs: BatchInputs, existing: readonly string[]): void {
  if (inputs.adoptExisting !== false || existing.length === 0) return;
  throw new Error(
    `${existing.length} declared codes already exist on coupon "${inputs.couponId}" (another batch, an ` +
      "interrupted run, or codes uploaded outside Pulumi) and adoptExisting is false; nothing was changed. " +
      "Remove them from this batch, or set adoptExisting to true to take them over.",
  );
}
