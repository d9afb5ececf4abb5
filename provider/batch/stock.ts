/**
 * Keeping a generated pool stocked and clean: `generate.keepUnassigned` (top the pool up to a number of
 * unassigned, unexpired codes, as the last refresh or apply counted them) and `pruneExpired` (delete
 * expired codes no profile holds). Both act on the next update, decided from the stored counts, so the
 * preview can say what the apply will do and why.
 */
import type { KlaviyoClient } from "../client";
import type { GenerateSpec } from "./codes";
import { GENERATE_INPUTS, type BatchInputs } from "./inputs";
import { expiredUnheld, isHeld, listCouponCodes } from "./listing";
import type { BatchState } from "./outputs";
import type { Progress } from "./progress";
import { removeCodes } from "./removal";

/** What the stored counts leave short of `keepUnassigned` (0 without a target). */
export function stockDeficit(
  generate: Pick<GenerateSpec, "keepUnassigned"> | null | undefined,
  available: number | null,
): number {
  const target = generate?.keepUnassigned;
  if (target === undefined || target === null || available === null) return 0;
  return Math.max(0, target - available);
}

/**
 * The generate spec an apply draws with: `count` itself, or with `keepUnassigned` the larger of `count`
 * and the pool held plus what it is short of the target, so a grown pool is never trimmed back to `count`.
 */
export function drawingSpec(generate: GenerateSpec, held: number, available: number | null): GenerateSpec {
  if (generate.keepUnassigned === undefined || generate.keepUnassigned === null) return generate;
  // A pool never counted (created before these counts existed) counts as short of nothing but `count`.
  const deficit = available === null && held > 0 ? 0 : stockDeficit(generate, available ?? 0);
  // A batch holds at most 500,000 codes: there replenishment stops (README: state over the years).
  return { ...generate, count: Math.max(generate.count, Math.min(held + deficit, MAX_CODES)) };
}

const MAX_CODES = GENERATE_INPUTS.count.max;

/** True when the stored state differs from what the generate spec asks for (diff of generated pools). */
export function generatedPoolChanged(old: BatchState, generate: GenerateSpec): boolean {
  const held = old.codes.length;
  if (generate.keepUnassigned === undefined || generate.keepUnassigned === null)
    return held !== generate.count;
  return held < generate.count || (held < MAX_CODES && stockDeficit(generate, old.availableCodes) > 0);
}

/** The lines a preview (and an up) prints about replenishment and pruning; none when neither acts. */
export function stockLines(old: BatchState, inputs: BatchInputs): string[] {
  const lines: string[] = [];
  const prefix = `[klaviyo] coupon ${inputs.couponId}:`;
  const deficit = inputs.generate ? stockDeficit(inputs.generate, old.availableCodes) : 0;
  if (deficit > 0 && old.codes.length >= MAX_CODES) {
    lines.push(
      `${prefix} ${old.availableCodes} unassigned codes, below keepUnassigned ` +
        `${inputs.generate?.keepUnassigned}, but the batch holds ${MAX_CODES} codes, the most one batch may: ` +
        "no code is added (prune expired codes, or start a new batch)",
    );
  } else if (deficit > 0) {
    lines.push(
      `${prefix} ${old.availableCodes} unassigned codes at the last refresh or apply, below keepUnassigned ` +
        `${inputs.generate?.keepUnassigned}: this apply generates and uploads ${deficit} codes`,
    );
  }
  if (inputs.pruneExpired && old.expiredCodes.unassigned > 0) {
    lines.push(
      `${prefix} pruneExpired: ${old.expiredCodes.unassigned} expired codes no profile holds are deleted ` +
        `(${old.expiredCodes.held} expired codes profiles hold stay), as of the last refresh or apply`,
    );
  }
  return lines;
}

/** True when pruning has something to delete, as the stored counts tell. */
export function pruningDue(old: BatchState, inputs: BatchInputs): boolean {
  return inputs.pruneExpired === true && old.expiredCodes.unassigned > 0;
}

/** The codes a pruning will delete, chosen from a listing taken now (the stored counts only said it is due). */
export interface PrunePlan {
  /** Expired codes no profile holds. */
  expired: string[];
  /** Expired codes a profile holds: they stay, reported. */
  held: number;
}

/** What a pruning did. */
export interface PruneReport {
  /** Expired codes deleted in Klaviyo: they leave the batch. */
  deleted: string[];
  /** Codes that stay in the batch: a profile took them meanwhile (409), or their DELETE failed. */
  kept: string[];
  /** Codes whose DELETE failed, with the reason. */
  errors: Map<string, string>;
}

/**
 * Chooses the expired codes of `codes` that no profile holds, from a listing taken now. Nothing is
 * deleted yet: the apply first asks what can refuse (`fail-if-assigned`, `adoptExisting: false`), so a
 * refusal leaves Klaviyo as it was.
 */
export async function planPruning(
  client: KlaviyoClient,
  couponId: string,
  codes: readonly string[],
): Promise<PrunePlan> {
  const live = await listCouponCodes(client, couponId);
  const now = Date.now();
  const held = codes.filter((c) => {
    const read = live.get(c);
    return read !== undefined && isHeld(read) && read.expiresAt !== null && Date.parse(read.expiresAt) <= now;
  }).length;
  return { expired: expiredUnheld(codes, live, now), held };
}

/** Deletes the planned codes; one a profile took meanwhile is refused by Klaviyo (409) and stays. */
export async function prune(
  client: KlaviyoClient,
  couponId: string,
  plan: PrunePlan,
  progress: Progress,
): Promise<PruneReport> {
  const report = await removeCodes(client, couponId, plan.expired, "delete-unassigned", progress);
  const kept = [...report.retained, ...report.errors.keys()];
  const line = `[klaviyo] coupon ${couponId}: pruned ${report.deleted.length} expired codes no profile held`;
  console.log(`${line}; ${plan.held + report.retained.length} expired codes profiles hold stay in the batch`);
  return { deleted: report.deleted, kept, errors: report.errors };
}
