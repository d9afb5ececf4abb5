/**
 * Refresh benchmark: `pulumi refresh` of a batch (the engine's Read RPC to the real host), which reads the
 * coupon and lists every code of the coupon on GET /api/coupon-codes (tier XL).
 */
import type { RunningEmulator } from "../emulator";
import { OPERATIONS } from "../provider/client/operations";
import { sleep } from "../testkit/sleep";
import { readCost } from "./engineCost";
import { LISTING_TIER } from "./floors";
import type { BenchStack } from "./stack";

// Every operation that spends the listing's budget (Klaviyo counts a tier per key, not per endpoint).
const LISTING_TIER_OPERATIONS = new Set<string>(
  Object.values(OPERATIONS)
    .filter((op) => op.tier === OPERATIONS.getCouponCodes.tier)
    .map((op) => op.operationId),
);

/**
 * Waits until `needed` more XL requests fit in the steady (per-minute) budget, judged on a 62 s sliding
 * window of the emulator's log, so every repetition starts with the budget the floor assumes.
 */
export async function waitForXlHeadroom(emulator: RunningEmulator, needed: number): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    const horizon = Date.now() - 62_000;
    const recent = emulator.control
      .requestLog()
      .filter((r) => LISTING_TIER_OPERATIONS.has(r.operationId) && r.time > horizon && r.status !== 429)
      .map((r) => r.time);
    if (recent.length + needed <= LISTING_TIER.perMinute) break;
    const excess = recent.length + needed - LISTING_TIER.perMinute;
    await sleep(Math.max(250, recent[excess - 1] - horizon + 50));
  }
  return Date.now() - started;
}

/** Fastest of a few single-page requests (raw HTTP, no client work): the floor's one request time. */
export async function minPageMs(
  emulator: RunningEmulator,
  apiKey: string,
  couponId: string,
): Promise<number> {
  const url = `${emulator.url}/api/coupon-codes?filter=${encodeURIComponent(`equals(coupon.id,"${couponId}")`)}&page[size]=100`;
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const res = await fetch(url, {
      headers: { Authorization: `Klaviyo-API-Key ${apiKey}`, revision: "2026-07-15" },
    });
    await res.text();
    if (res.status !== 200) throw new Error(`page request answered ${res.status}`);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** One refresh repetition. */
export interface RefreshRun {
  wallMs: number;
  pages: number;
  /** From the first to the last listing request the emulator saw. */
  listingMs: number;
  rateLimited: number;
  waitedMs: number;
}

/** What the refresh benchmark measured. */
export interface RefreshResult {
  codes: number;
  runs: RefreshRun[];
  /** Replayed simulator-side protobuf work of one Read RPC (not present with the Go engine). */
  engineSideMs: number;
}

/** Refreshes `name` `repeats` times, each with a fresh XL budget; asserts the code count each time. */
export async function runRefresh(
  stack: BenchStack,
  opts: { name: string; codes: number; repeats: number; injectLatencyMs?: number },
): Promise<RefreshResult> {
  const runs: RefreshRun[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    const waitedMs = await waitForXlHeadroom(stack.emulator, Math.ceil(opts.codes / 100) + 5);
    // The log is not reset: the headroom check needs the requests of the previous repetitions.
    const started = Date.now();
    if (opts.injectLatencyMs) {
      stack.emulator.control.injectFault({
        method: "GET",
        path: "/api/coupon-codes",
        latencyMs: opts.injectLatencyMs,
        count: 1_000_000,
      });
    }
    let result;
    try {
      result = await stack.engine.refresh(opts.name);
    } finally {
      if (opts.injectLatencyMs) stack.emulator.control.clearFaults();
    }
    const wallMs = Date.now() - started;
    const count = (result.state?.outputs as Record<string, unknown> | undefined)?.codeCount;
    if (result.op !== "refresh" || count !== opts.codes) {
      throw new Error(`refresh ended ${result.op} with ${String(count)} codes, expected ${opts.codes}`);
    }
    const log = stack.emulator.control.requestLog().filter((r) => r.time >= started);
    const listing = log.filter((r) => r.operationId === "get_coupon_codes");
    runs.push({
      wallMs,
      pages: listing.length,
      listingMs: listing.length > 0 ? listing[listing.length - 1].time - listing[0].time : 0,
      rateLimited: log.filter((r) => r.status === 429).length,
      waitedMs,
    });
    stack.host.calls.length = 0;
  }
  const state = stack.engine.state(opts.name)!;
  const engineSideMs = readCost(
    { id: state.id, urn: state.urn, properties: state.outputs, inputs: state.inputs },
    state.outputs,
  );
  return { codes: opts.codes, runs, engineSideMs };
}
