/** Injected faults: a FIFO of rules, each applied to the next `count` matching API requests. */
import type { FaultSpec } from "./types";

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

/** Validates a fault given over the control API (throws a plain `Error`). */
export function checkFault(fault: FaultSpec): FaultSpec {
  if (fault === null || typeof fault !== "object") throw new Error("fault must be an object");
  if (typeof fault.path !== "string" || !fault.path.startsWith("/")) {
    throw new Error("fault.path must be a path prefix starting with '/'");
  }
  const count = fault.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error("fault.count must be a positive integer");
  if (
    fault.status !== undefined &&
    (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)
  ) {
    throw new Error("fault.status must be an HTTP status code");
  }
  for (const key of ["retryAfter", "latencyMs"] as const) {
    const value = fault[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
      throw new Error(`fault.${key} must be a non-negative number`);
    }
  }
  if (fault.drop && fault.dropAfterProcessing)
    throw new Error("fault.drop and fault.dropAfterProcessing exclude each other");
  if (fault.method !== undefined && typeof fault.method !== "string")
    throw new Error("fault.method must be a string");
  return { ...fault, count };
}

/** The effect to apply to one request. */
export interface FaultEffect {
  status?: number;
  retryAfter?: number;
  drop: boolean;
  dropAfterProcessing: boolean;
  latencyMs: number;
}

/** See the module documentation. */
export class FaultQueue {
  private faults: ActiveFault[] = [];

  /** Adds a fault (already validated by {@link checkFault}). */
  add(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.count ?? 1 });
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Consumes the first fault matching this request, if any. */
  take(method: string, path: string): FaultEffect | undefined {
    const index = this.faults.findIndex(
      ({ spec }) =>
        (spec.method === undefined || spec.method.toUpperCase() === method.toUpperCase()) &&
        path.startsWith(spec.path),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    const { spec } = fault;
    const drop = spec.drop === true;
    const dropAfterProcessing = spec.dropAfterProcessing === true;
    const latencyMs = spec.latencyMs ?? 0;
    // A fault that names no effect at all stands for a plain server error.
    const status = spec.status ?? (!drop && !dropAfterProcessing && latencyMs === 0 ? 500 : undefined);
    return { status, retryAfter: spec.retryAfter, drop, dropAfterProcessing, latencyMs };
  }
}
