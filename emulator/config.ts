/** Defaults and validation of emulator settings. */
import type {
  CouponDeleteMode,
  EmulatorConfigPatch,
  EmulatorSettings,
  JobLatencySettings,
  LimitSettings,
  RateLimitSettings,
} from "./types";

/** The API key the emulator accepts when no `apiKeys` option is given. */
export const DEFAULT_TEST_API_KEY = "pk_emulator_0000000000000000000000000000test";

/** Default rate limiting: the spec's limits, enforced. */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { enabled: true, scale: 1 };

/** Default job latency model. */
export const DEFAULT_JOB_LATENCY: JobLatencySettings = {
  queuedMs: 100,
  processingMsPerJob: 200,
  processingMsPerCode: 0.5,
  concurrency: 10,
};

/** Default account limits (guide and spec). */
export const DEFAULT_LIMITS: LimitSettings = { maxCoupons: 500, maxCodesPerJob: 1000, maxActiveJobs: 100 };

const DELETE_MODES: CouponDeleteMode[] = ["cascade", "refuse-with-codes"];

/** Builds settings from defaults plus a patch, validating every value (throws a plain `Error`). */
export function applySettingsPatch(base: EmulatorSettings, patch: EmulatorConfigPatch): EmulatorSettings {
  if (patch === null || typeof patch !== "object") throw new Error("configuration patch must be an object");
  const rateLimits = { ...base.rateLimits, ...definedOnly(patch.rateLimits, "rateLimits") };
  if (typeof rateLimits.enabled !== "boolean") throw new Error("rateLimits.enabled must be a boolean");
  checkNumber(rateLimits.scale, "rateLimits.scale", { positive: true });
  const jobs = { ...base.jobs, ...definedOnly(patch.jobs, "jobs") };
  checkNumber(jobs.queuedMs, "jobs.queuedMs");
  checkNumber(jobs.processingMsPerJob, "jobs.processingMsPerJob");
  checkNumber(jobs.processingMsPerCode, "jobs.processingMsPerCode");
  checkNumber(jobs.concurrency, "jobs.concurrency", { positive: true, integer: true });
  const limits = { ...base.limits, ...definedOnly(patch.limits, "limits") };
  checkNumber(limits.maxCoupons, "limits.maxCoupons", { integer: true });
  checkNumber(limits.maxCodesPerJob, "limits.maxCodesPerJob", { positive: true, integer: true });
  checkNumber(limits.maxActiveJobs, "limits.maxActiveJobs", { positive: true, integer: true });
  const couponDelete = patch.couponDelete ?? base.couponDelete;
  if (!DELETE_MODES.includes(couponDelete)) {
    throw new Error(`couponDelete must be one of ${DELETE_MODES.join(", ")}`);
  }
  return { rateLimits, jobs, limits, couponDelete };
}

/** The settings an emulator starts with when given no options. */
export function defaultSettings(): EmulatorSettings {
  return {
    rateLimits: { ...DEFAULT_RATE_LIMITS },
    jobs: { ...DEFAULT_JOB_LATENCY },
    limits: { ...DEFAULT_LIMITS },
    couponDelete: "cascade",
  };
}

// Callers spread partial objects, so `{ scale: undefined }` must not erase a default.
function definedOnly<T extends object>(value: T | undefined, name: string): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object") throw new Error(`${name} must be an object`);
  const out: Partial<T> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) (out as Record<string, unknown>)[key] = entry;
  }
  return out;
}

function checkNumber(
  value: unknown,
  name: string,
  options: { positive?: boolean; integer?: boolean } = {},
): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative finite number`);
  }
  if (options.positive && value <= 0) throw new Error(`${name} must be greater than 0`);
  if (options.integer && !Number.isInteger(value)) throw new Error(`${name} must be an integer`);
}
