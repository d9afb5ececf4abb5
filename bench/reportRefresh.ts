/**
 * §2 of the report: the refresh (a complete listing of the coupon's codes) against its floor, with
 * network latency, and why it misses its target.
 */
import { LISTING_TIER } from "./floors";
import { dur, int, msf, sec, x, type Figures, type Section } from "./reportFormat";
import type { Results } from "./types";

// The client's rate limiter's burst window (`provider/client/rateLimiter.ts`): Klaviyo's 1 s plus a margin.
const CLIENT_BURST_WINDOW_MS = 1100;

/** Least time the client's own limiter lets `pages` listing requests take, however parallel they are. */
const limiterMs = (pages: number) =>
  Math.floor((pages - 1) / LISTING_TIER.perSecond) * CLIENT_BURST_WINDOW_MS;

/** The runs, the floor and how the median splits into listing, simulator and host work. */
export const refreshRuns: Section = (r, { refreshMedian, refreshListing, refreshRatio }) => {
  const rf = r.refresh;
  const rest = refreshMedian - refreshListing - rf.engineSideMs;
  return [
    "## 2. Refresh",
    "",
    `\`engine.refresh\` of a ${int(rf.codes)}-code batch (the Read RPC: the host reads the coupon, then lists every code ` +
      `of the coupon, ${rf.pages} pages of 100 on GET /api/coupon-codes, tier XL). ${rf.runs.length} repetitions, each ` +
      "started with a fresh XL budget (the benchmark waits until the previous runs have left the 60 s window, as the " +
      "floor assumes).",
    "",
    "| Run | Wall | Listing (first to last page) | Pages | 429s |",
    "| --- | --- | --- | --- | --- |",
    ...rf.runs.map(
      (run, i) =>
        `| ${i + 1} | ${sec(run.wallMs, 2)} | ${sec(run.listingMs, 2)} | ${run.pages} | ${run.rateLimited} |`,
    ),
    `| **median** | **${sec(refreshMedian, 2)}** | **${sec(refreshListing, 2)}** | | |`,
    "",
    `**Floor**: ${rf.pages} XL requests at ${LISTING_TIER.perSecond} per 1 s window: the last one can leave at ` +
      `${dur(rf.floorRateMs)}, plus one page request (${msf(rf.minPageMs)}) = **${dur(rf.floorMs)}** ` +
      `(the sustained rate alone, ${rf.pages} / ${LISTING_TIER.perSecond} per s, would say ${sec((rf.pages / LISTING_TIER.perSecond) * 1000, 2)}; ` +
      "the burst allowance makes the true floor lower). " +
      `Ours: **${sec(refreshMedian, 2)} = ${x(refreshRatio)}**. It splits into the listing itself ` +
      `(${sec(refreshListing, 2)}, ${x(refreshListing / rf.floorMs)} of the floor), the engine simulator's protobuf ` +
      `work (${sec(rf.engineSideMs, 2)}, replayed; not present with the Go engine) and the rest (${sec(rest, 2)}: the ` +
      `host's protobuf conversion of the old inputs and outputs, 2 × ${int(rf.codes)} codes in and ${int(rf.codes)} out, the coupon ` +
      "read, building the outputs). Without the simulator's share the refresh takes about " +
      `${sec(refreshMedian - rf.engineSideMs, 2)} = ${x((refreshMedian - rf.engineSideMs) / rf.floorMs)}.`,
    "",
  ];
};

/** The same refresh with latency injected on every listing request. */
export const refreshLatency: Section = (r) => {
  const { pages } = r.refresh;
  const lat = r.refreshLatency;
  return [
    `**With network latency**: the same refresh with ${lat.injectedMs} ms added to every listing request (an emulator ` +
      `fault; a real API call costs at least that) took ${sec(lat.runs[0].wallMs, 2)}, the listing ` +
      `${sec(lat.runs[0].listingMs, 2)} for ${pages} pages. A single cursor walk would take ${pages} × ` +
      `(${lat.injectedMs} ms + the page time); the walks in parallel expiry windows (item 1 below) share the latency.`,
    "",
  ];
};

/** Item 1 of the explanation: how the listing is split, and what that leaves. */
function partitionedWalk(r: Results, f: Figures): string {
  const rf = r.refresh;
  const rest = f.refreshMedian - f.refreshListing - rf.engineSideMs;
  const boundMs = limiterMs(rf.pages) + rest;
  return (
    "1. _The listing is split into disjoint walks_ (`provider/batch/partitionedListing.ts`). A single cursor walk " +
    "costs pages × page time, since each page's cursor comes from the previous page. A refresh therefore splits " +
    "the batch's own expiry range (the `expiryRange` of its state) into up to 32 back-to-back `expires_at` windows " +
    "and walks them at once, then asks by id (GET /api/coupon-codes/{id}, tier XL) for every code the state holds " +
    "that no window returned: codes with a null expiry (they match no window), codes re-dated out of band, codes " +
    "deleted during the walk (404: gone). When that check would take more requests than one per page of the pool " +
    "(at most 500), when the codes share one expiry (a batch with one `expiresAt`), or when the pool is small, it " +
    "falls back to the single walk. No state code can fall between the walks; the integration tests " +
    "(`tests/integration/provider/batch/partitionedListing.spec.ts`) compare every case with the single walk. " +
    `Here the listing took ${x(f.refreshListing / rf.floorMs)} of the floor. What is left: items 2 and 3 below ` +
    `keep this refresh at about ${x(boundMs / rf.floorMs)} of the floor or more (${sec(boundMs, 2)}: the ` +
    "limiter's minimum plus the non-listing rest measured above)."
  );
}

/** Why the refresh misses its target, and what would close the gap. */
export const refreshWhy: Section = (r, f) => {
  const rf = r.refresh;
  const limiter =
    rf.pages > LISTING_TIER.perSecond
      ? `2. _The client's rate limiter_ uses ${CLIENT_BURST_WINDOW_MS / 1000} s windows (a margin for network jitter against Klaviyo's fixed windows), ` +
        `so ${rf.pages} requests need at least ${sec(limiterMs(rf.pages), 1)} however ` +
        `parallel the listing is: ${x(limiterMs(rf.pages) / rf.floorMs)} of the floor by itself.`
      : `2. _At this size the rate limit does not bind_: all ${rf.pages} requests fit in one ${LISTING_TIER.perSecond}-request ` +
        "burst, so the floor is a single page request and the ratio only says that the walk is sequential.";
  return [
    "**Why the target is missed, and what would close it.**",
    "",
    partitionedWalk(r, f),
    limiter,
    "3. _The rest of the Read_: reading the coupon, unpacking the state's codes, building the outputs and packing " +
      `them again for ${int(rf.codes)} codes (the codes now cross the host's protobuf conversion as one string).`,
    "",
  ];
};
