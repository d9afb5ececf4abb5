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
      `${sec(lat.runs[0].listingMs, 2)}: ${pages} sequential pages × (${lat.injectedMs} ms + the page time). The ` +
      "loopback emulator hides this; against Klaviyo over a real network, the sequential cursor walk, not the " +
      "rate limit, is what a 100,000-code refresh waits for.",
    "",
  ];
};

/** Item 1 of the explanation: why the listing stays one sequential walk. */
function sequentialWalk(r: Results, f: Figures): string {
  const rf = r.refresh;
  const rest = f.refreshMedian - f.refreshListing - rf.engineSideMs;
  const boundMs = limiterMs(rf.pages) + rest;
  return (
    `1. _The listing is a single cursor walk._ Each page's cursor comes from the previous page, so the walk costs ` +
    `pages × page time (${msf(f.refreshListing / rf.pages)} per page here: the emulator rendering 100 codes, HTTP on ` +
    "loopback, JSON parsing and schema validation in the host), not pages ÷ rate. Running several walks in parallel " +
    "needs filters that split the coupon's codes into disjoint sets whose union is every code. The only filters " +
    "the endpoint offers besides `coupon.id`/`profile.id` are `status` (equals) and `expires_at` (comparisons). " +
    "`status` does not split a fresh batch (every code is `UNASSIGNED`). `expires_at` ranges would (Klaviyo's " +
    "one-year default gives each code its creation time plus a year), but a code whose `expires_at` is **null** " +
    "matches no range, and the response schema allows null: the emulator returns null for the codes of a coupon " +
    "created in the Klaviyo UI without an expiration date (its choice for a point Klaviyo does not document), and " +
    "nothing in the API lets a client select null expiries or count a " +
    "coupon's codes to check a partitioned listing is complete. A coupon whose early codes have an expiry and later " +
    "ones none (a UI coupon whose expiration was removed) would silently lose codes from the state. So the provider " +
    "keeps the complete sequential walk (`provider/batch/listing.ts` is unchanged), and the refresh stays at " +
    `${x(f.refreshListing / rf.floorMs)} of the floor for the listing alone. What would close it: the handlers ` +
    "passing the listing what they know (the codes they expect; then an `expires_at`-partitioned parallel listing " +
    "plus a by-id GET, tier XL, for each expected code it did not return is complete for every code the state " +
    "holds), or Klaviyo adding a `sort`, a count or a null filter. Even then, items 2 and 3 below would keep this " +
    `refresh at about ${x(boundMs / rf.floorMs)} of the floor or more (${sec(boundMs, 2)}: the limiter's minimum plus ` +
    "the non-listing rest measured above), so no listing strategy alone reaches 1.25× here. The same " +
    "listing runs after every upload (§1)."
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
    sequentialWalk(r, f),
    limiter,
    `3. _The SDK's dynamic-provider host_ converts every property through google-protobuf \`Struct\`s; for ${int(rf.codes)} codes ` +
      "that is a few hundred ms on each side of the call, which no provider code can avoid.",
    "",
  ];
};
