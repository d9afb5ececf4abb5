/**
 * The stored state of a `CouponCodeBatch` and how it is built from what Klaviyo reports.
 */
import type { GenerateSpec } from "./codes";
import { fingerprint } from "./codes";
import { countStatuses, expiryRange, type LiveCode } from "./listing";
import type { DeletePolicy } from "./removal";

/** Most failed codes listed in `failedCodes`; `failedCount` has the total. */
export const FAILED_CODES_LISTED = 100;

/** Outputs of a batch as Pulumi stores them. `codes` is secret in state. */
export interface BatchOutputs {
  couponId: string;
  /** Declared codes that exist in Klaviyo (secret). */
  codes: string[];
  generate: GenerateSpec | null;
  /** The declared expiry, or null when Klaviyo's one-year default applies. */
  expiresAt: string | null;
  deletePolicy: DeletePolicy;
  maxConcurrentJobs: number;
  jobTimeoutSeconds: number;
  secretCodes: boolean;
  codeCount: number;
  fingerprint: string;
  statusCounts: Record<string, number>;
  failedCodes: Array<{ code: string; reason: string }>;
  failedCount: number;
  retainedCodes: number;
  jobIds: string[];
  expiryRange: { earliest: string; latest: string } | null;
  /** This batch's identity in its stack: keys its generated codes and tells batches apart. */
  generationSeed: string | null;
  /**
   * Generated codes drawn by an apply that has not seen them in Klaviyo yet (secret): the next apply
   * adopts or uploads exactly these, never new ones, and destroy deletes them too.
   */
  pendingCodes: string[];
  /** Declared codes that already existed in Klaviyo when the last apply would have created them. */
  adoptedCodes: number;
  /** False: an apply refuses declared codes that already exist instead of adopting them. */
  adoptExisting: boolean;
}

/** The inputs after `check`. */
export interface BatchInputs {
  couponId: string;
  codes?: string[];
  generate?: GenerateSpec;
  expiresAt?: string;
  deletePolicy: DeletePolicy;
  maxConcurrentJobs: number;
  jobTimeoutSeconds: number;
  secretCodes?: boolean;
  generationSeed?: string;
  adoptExisting?: boolean;
}

/** Builds outputs from the declared inputs, the codes known to exist, and the failures. */
export function buildOutputs(
  inputs: BatchInputs,
  existing: string[],
  live: Map<string, LiveCode>,
  failures: Map<string, string>,
  extra: {
    retainedCodes: number;
    jobIds: string[];
    pendingCodes?: string[];
    secret: string;
    adoptedCodes?: number;
  },
): BatchOutputs {
  const failedCodes: BatchOutputs["failedCodes"] = [];
  for (const [code, reason] of failures) {
    if (failedCodes.length >= FAILED_CODES_LISTED) break;
    failedCodes.push({ code, reason });
  }
  return {
    couponId: inputs.couponId,
    codes: existing,
    generate: inputs.generate ?? null,
    expiresAt: inputs.expiresAt ?? null,
    deletePolicy: inputs.deletePolicy,
    maxConcurrentJobs: inputs.maxConcurrentJobs,
    jobTimeoutSeconds: inputs.jobTimeoutSeconds,
    secretCodes: inputs.secretCodes !== false,
    codeCount: existing.length,
    fingerprint: fingerprint(existing, extra.secret),
    statusCounts: countStatuses(existing, live),
    failedCodes,
    failedCount: failures.size,
    retainedCodes: extra.retainedCodes,
    jobIds: extra.jobIds,
    expiryRange: expiryRange(existing, live),
    generationSeed: inputs.generationSeed ?? null,
    pendingCodes: extra.pendingCodes ?? [],
    adoptedCodes: extra.adoptedCodes ?? 0,
    adoptExisting: inputs.adoptExisting !== false,
  };
}
