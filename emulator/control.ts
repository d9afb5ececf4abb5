/** The in-process control API. Errors are thrown as plain `Error`s with a readable message. */
import { applySettingsPatch } from "./config";
import { checkFault } from "./faults";
import { isApiFailure } from "./failures";
import type { EmulatorState } from "./state";
import { formatOptional, parseDateTime } from "./time";
import type { CouponSnapshot, EmulatorControl, JobOutcomeSpec, UiCouponSeed } from "./types";

/** Builds the control object of an emulator. */
export function createControl(state: EmulatorState): EmulatorControl {
  return {
    reset() {
      resetState(state);
    },
    seedUiCoupon(seed: UiCouponSeed) {
      return seedUiCoupon(state, seed);
    },
    assignCode(codeId: string, profileId: string) {
      if (typeof profileId !== "string" || profileId === "")
        throw new Error("profileId must be a non-empty string");
      unwrap(() => state.store.assignCode(codeId, profileId));
    },
    markCodeUsed(codeId: string) {
      unwrap(() => state.store.requireCode(codeId)).status = "USED";
    },
    injectFault(fault) {
      state.faults.add(checkFault(fault));
    },
    clearFaults() {
      state.faults.clear();
    },
    setJobOutcome(spec: JobOutcomeSpec) {
      state.pendingOutcomes.push(checkOutcome(spec));
    },
    configure(patch) {
      state.settings = applySettingsPatch(state.settings, patch);
    },
    settings() {
      return JSON.parse(JSON.stringify(state.settings));
    },
    counts() {
      return {
        coupons: state.store.coupons.size,
        codes: state.store.codes.size,
        jobs: state.store.jobs.size,
        requests: state.log.requests,
      };
    },
    requestLog() {
      return state.log.list();
    },
    resetRequestLog() {
      state.log.clear();
    },
    waitForJobs(timeoutMs = 30_000) {
      return state.jobs.waitForIdle(timeoutMs);
    },
  };
}

function resetState(state: EmulatorState): void {
  state.jobs.reset();
  state.store.clear();
  state.faults.clear();
  state.pendingOutcomes.length = 0;
  state.limiter.reset();
  state.log.clear();
  state.log.requests = 0;
}

function seedUiCoupon(state: EmulatorState, seed: UiCouponSeed): CouponSnapshot {
  const expiresAt = checkSeed(seed);
  const coupon = unwrap(() =>
    state.store.createCoupon(
      { id: seed.externalId, description: seed.description ?? null, monitorConfiguration: null },
      state.settings.limits.maxCoupons,
      { expiresAt },
    ),
  );
  return {
    id: coupon.id,
    description: coupon.description,
    source: coupon.source,
    expiresAt: formatOptional(coupon.uiExpiresAt),
  };
}

// Seeds come from untyped callers (the HTTP form, JavaScript tests); returns the parsed expiry.
function checkSeed(seed: UiCouponSeed): number | null {
  if (seed === null || typeof seed !== "object") throw new Error("seed must be an object");
  if (typeof seed.externalId !== "string" || seed.externalId === "") {
    throw new Error("externalId must be a non-empty string");
  }
  if (seed.description !== undefined && seed.description !== null && typeof seed.description !== "string") {
    throw new Error("description must be a string or null");
  }
  if (seed.expiresAt === undefined || seed.expiresAt === null) return null;
  const parsed = typeof seed.expiresAt === "string" ? parseDateTime(seed.expiresAt) : undefined;
  if (parsed === undefined)
    throw new Error(`expiresAt '${String(seed.expiresAt)}' is not an RFC 3339 date-time`);
  return parsed;
}

function checkOutcome(spec: JobOutcomeSpec): EmulatorState["pendingOutcomes"][number] {
  if (spec === null || typeof spec !== "object") throw new Error("job outcome must be an object");
  const jobs = spec.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error("jobs must be a positive integer");
  const failFraction = spec.failFraction ?? 0;
  if (typeof failFraction !== "number" || !(failFraction >= 0 && failFraction <= 1)) {
    throw new Error("failFraction must be a number between 0 and 1");
  }
  const cancelAfter = spec.cancelAfter ?? 0;
  if (!Number.isInteger(cancelAfter) || cancelAfter < 0)
    throw new Error("cancelAfter must be a non-negative integer");
  const failCodes = spec.failCodes ?? [];
  if (!Array.isArray(failCodes) || failCodes.some((code) => typeof code !== "string")) {
    throw new Error("failCodes must be an array of strings");
  }
  return {
    remaining: jobs,
    outcome: { cancel: spec.cancel === true, cancelAfter, failFraction, failCodes: new Set(failCodes) },
  };
}

// Store rules throw JSON:API failures; control callers get their detail as a plain error message.
function unwrap<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (isApiFailure(error)) throw new Error(error.entries[0].detail);
    throw error;
  }
}
