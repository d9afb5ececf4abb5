/**
 * The report's sections on what users run: `pulumi up`, `preview` and `refresh` through the real CLI
 * (`realEngine.ts`), against the targets of issue 14.
 */
import type { CommandRun, ScenarioResult } from "./realEngine";
import { baselineFor, dur, int, mib, sec, x, type Section } from "./reportFormat";
import type { Results } from "./types";

const MIB = 1024 * 1024;

function verdict(met: boolean | undefined, why?: string): string {
  if (met === undefined) return `not assessed (${why ?? "not measured in this run"})`;
  return met ? "**met**" : `**missed**${why ? `: ${why}` : ""}`;
}

function find(r: Results, kind: ScenarioResult["kind"], codes: number): ScenarioResult | undefined {
  return r.realEngine?.find((s) => s.kind === kind && s.codes === codes);
}

/** The scenario all commands ran on that the growth ratios compare with: the smallest full one. */
function base(r: Results): ScenarioResult | undefined {
  return r.realEngine?.filter((s) => s.full).sort((a, b) => a.codes - b.codes)[0];
}

/** The largest full scenario: the one whose preview, no-op and refresh are assessed. */
function big(r: Results): ScenarioResult | undefined {
  return r.realEngine?.filter((s) => s.full).sort((a, b) => b.codes - a.codes)[0];
}

const host = (run: CommandRun | undefined) => run?.peaks.providerHost ?? NaN;
const cli = (run: CommandRun | undefined) => run?.peaks.cli ?? NaN;
const perCode = (s: ScenarioResult) => s.stateBytes / s.codes;

function uploadRows(r: Results): string[] {
  const full = r.plan.mode === "full";
  return (r.realEngine ?? [])
    .filter((s) => s.codes >= 100_000 || (!full && s.codes > 100))
    .map((s) => {
      const ratio = s.create.wallMs / s.uploadFloorMs;
      const baseline = baselineFor(r, s.codes);
      const speedup = baseline ? baseline.ms / s.create.wallMs : NaN;
      const baselineText = baseline
        ? `${sec(baseline.ms)}${baseline.extrapolated ? " (extrapolated from the measured loop)" : ""} = ${x(speedup)}`
        : "baseline not run";
      const met = full ? ratio <= 1.15 && speedup >= 10 : undefined;
      return (
        `| Upload of ${int(s.codes)} ${s.kind} codes through the CLI: <= 1.15× the floor, >= 10× the SDK loop | ` +
        `${sec(s.create.wallMs)} vs floor ${sec(s.uploadFloorMs)} = ${x(ratio)}; SDK loop ${baselineText} | ` +
        `${verdict(met, full ? undefined : "quick run")} |`
      );
    });
}

function growthRows(r: Results): string[] {
  const b = base(r);
  const g = big(r);
  if (!b || !g || b === g) return [];
  const full = r.plan.mode === "full";
  const rows: string[] = [];
  for (const [name, pick] of [
    ["`pulumi preview` with 1% of the codes changed", (s: ScenarioResult) => s.preview],
    ["no-op `pulumi up`", (s: ScenarioResult) => s.noop],
  ] as const) {
    const ratio = pick(g)!.wallMs / pick(b)!.wallMs;
    rows.push(
      `| ${name} on ${int(g.codes)} codes: <= 2× the same on ${int(b.codes)} | ${dur(pick(g)!.wallMs)} vs ` +
        `${dur(pick(b)!.wallMs)} = ${x(ratio)} | ${verdict(full ? ratio <= 2 : undefined, full ? undefined : "quick run")} |`,
    );
  }
  rows.push(
    `| The no-op \`pulumi up\` makes zero HTTP calls | ${int(g.noop!.apiRequests)} requests to Klaviyo | ` +
      `${verdict(g.noop!.apiRequests === 0)} |`,
  );
  return rows;
}

function memoryRows(r: Results): string[] {
  const full = r.plan.mode === "full";
  const rows: string[] = [];
  for (const [codes, limit] of [
    [100_000, 200],
    [500_000, 400],
  ] as const) {
    const runs = (["listed", "generated"] as const).map((kind) => find(r, kind, codes)).filter(Boolean);
    if (runs.length === 0) continue;
    const text = runs.map((s) => `${s!.kind} ${mib(host(s!.create))}`).join(", ");
    const worst = Math.max(...runs.map((s) => host(s!.create)));
    rows.push(
      `| Provider host peak RSS during a ${int(codes)}-code upload <= ${limit} MiB | ${text} | ` +
        `${verdict(full ? worst <= limit * MIB : undefined, full ? "see §0.4" : "quick run")}` +
        `${full && worst <= limit * MIB ? " (the peak varies by run, see §0.4)" : ""} |`,
    );
  }
  const sized = (r.realEngine ?? []).filter((s) => s.codes >= 100_000);
  for (const s of sized) {
    rows.push(
      `| State <= 16 bytes per 12-character code, secrets encrypted (${s.kind}, ${int(s.codes)}) | ` +
        `${int(s.stateBytes)} B = ${perCode(s).toFixed(1)} B/code | ${verdict(perCode(s) <= 16, s.kind === "listed" && perCode(s) > 16 ? "listed codes are stored twice, see §0.3" : undefined)} |`,
    );
  }
  return rows;
}

function refreshRows(r: Results): string[] {
  const g = big(r);
  if (!g?.refresh) return [];
  const full = r.plan.mode === "full";
  return g.refresh.map((run) => {
    const limit = run.latencyMs > 0 ? 3 : 1.25;
    const ratio = run.listingMs / run.floorMs;
    return (
      `| Refresh of ${int(g.codes)} codes with ${run.latencyMs} ms per request: the listing <= ${limit}× the floor | ` +
      `listing ${dur(run.listingMs)} (${int(run.reads)} reads) vs floor ${dur(run.floorMs)} (${int(run.pages)} pages) = ` +
      `${x(ratio)}; the whole command ${dur(run.wallMs)} | ${verdict(full ? ratio <= limit : undefined, full ? (run.latencyMs > 0 ? undefined : "see §0.5") : "quick run")} |`
    );
  });
}

/** Issue 14's targets, measured through the real `pulumi` CLI. */
export const realEngineSummary: Section = (r) => {
  if (!r.realEngine) return ["## 0. Through the real engine", "", "Not measured in this run.", ""];
  return [
    "## 0. Summary against the targets, through the real engine",
    "",
    "Every figure in this section comes from the real `pulumi` CLI (v3.274.1, built from the Go module proxy) " +
      "with a local file backend and the passphrase secrets provider, driving an inline program (Automation " +
      "API) against the emulator with Klaviyo's published rate limits and the job model of §Parameters. Each " +
      "scenario runs on a fresh emulator and a fresh stack. Times are wall times of whole commands, CLI start " +
      "included, except where a row says the listing.",
    "",
    "| Target | Measured | Result |",
    "| --- | --- | --- |",
    ...uploadRows(r),
    ...growthRows(r),
    ...memoryRows(r),
    ...refreshRows(r),
    "",
  ];
};

function commandCells(run: CommandRun | undefined): string {
  if (!run) return "| | | |";
  return `| ${dur(run.wallMs)} | ${int(run.apiRequests)} | ${mib(cli(run))} / ${mib(host(run))} |`;
}

/** Every command of every scenario, and where the bytes of the state go. */
export const realEngineDetails: Section = (r) => {
  if (!r.realEngine) return [];
  const rows: string[] = [];
  for (const s of r.realEngine) {
    const label = `${s.kind} ${int(s.codes)}`;
    rows.push(`| ${label} | \`up\` (create) ${commandCells(s.create)}`);
    if (s.noop) rows.push(`| ${label} | \`up\` (no change) ${commandCells(s.noop)}`);
    if (s.preview) rows.push(`| ${label} | \`preview\` (1% changed) ${commandCells(s.preview)}`);
    for (const run of s.refresh ?? []) {
      rows.push(`| ${label} | \`refresh\` (${run.latencyMs} ms per request) ${commandCells(run)}`);
    }
  }
  const states = r.realEngine.map(
    (s) => `| ${s.kind} ${int(s.codes)} | ${int(s.stateBytes)} B | ${perCode(s).toFixed(1)} B |`,
  );
  return [
    "### 0.1 Every command",
    "",
    "Peak RSS is each process's high-water mark (`VmHWM`), sampled every 100 ms over the descendants of the " +
      "benchmark process; the program runs inline in the benchmark process itself and is not shown.",
    "",
    "| Scenario | Command | Wall time | Requests to Klaviyo | Peak RSS: CLI / provider host |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "### 0.2 State size (secrets encrypted)",
    "",
    "| Scenario | State file after the create | Per code |",
    "| --- | --- | --- |",
    ...states,
    "",
    "### 0.3 Why listed codes are stored twice, and how they fit in 16 bytes",
    "",
    "Codes cross the wire and sit in state packed into one compressed string per list (`provider/packedStrings.ts`, " +
      "form `kcp2`: each code as the length it shares with the one before it and the characters that follow, raw " +
      "deflate, base64); Pulumi then encrypts that string and base64-encodes the ciphertext, so each packed byte " +
      "costs 16/9 bytes of state. Generated codes are stored once, in the outputs, in the order they were drawn " +
      "(that order says which are newest). Listed codes are stored twice: in the inputs and in the outputs. The " +
      "outputs must hold the pool because they are all that `read`, `update` and `delete` receive from the SDK's " +
      "dynamic provider host. The inputs must hold it because what `check` returns is the only way the program's " +
      "codes reach `create` and `update`, and the engine stores exactly that. Returning only a digest from `check` " +
      "and keeping the codes in the provider process until `create` would make every apply depend on the engine " +
      "calling `check` and `create` in the same process, and would leave `check` without the old pool that a " +
      "readable preview (codes added and removed) is computed from. In the order the program gave them, 8 random " +
      "characters of 31 carry 39.6 bits, and two copies could not go under 2 × 4.95 × 16/9 ≈ 17.6 bytes per code. " +
      "But a pool is a set, not a sequence: `check` stores listed codes sorted, and a sorted set of 100,000 such " +
      "codes carries about log2(C(31^8, 100,000)) / 100,000 ≈ 3.1 bytes per code, since the order no longer has " +
      "to be stored. Sorted neighbours share their first characters, which the `kcp2` form stores as one length; " +
      "the codes pack to about 3.6 bytes, and both copies fit in about 13 bytes per code.",
    "",
    "### 0.4 Where the provider host's memory goes",
    "",
    "The host's peak is mostly garbage, not live data. The SDK's dynamic-provider host loads the whole " +
      "`@pulumi/pulumi` package, the Automation API and TypeScript's compiler included, and sits at 121 MiB in a " +
      "bare Node before it loads this package. A heap snapshot of the host taken when it passed 185 MiB during a " +
      "100,000-code upload held 50.5 MB of live objects, of which about 10 MB were the pool; a sampling allocation " +
      "profile of the same create counted 554 MB allocated in all (zod's copies of parsed responses 137 MB, " +
      "`JSON.parse` 89 MB, response strings 55 MB, protobuf 44 MB, request bodies 23 MB). By default V8 lets the " +
      "old generation grow to a multiple of the live size before a full collection and grows the young generation " +
      "to tens of MB under such an allocation rate. When the host configures the provider, the package therefore " +
      "sets V8's `--optimize-for-size` (small heap-growing steps, young generation shrunk at each collection) and " +
      "`--semi-space-growth-factor=1` (the young generation does not grow back), then runs one full collection " +
      "(`provider/host/memoryMode.ts`; `KLAVIYO_HOST_OPTIMIZE_FOR_SIZE=false` opts out). Diagnostic runs outside " +
      "this report's run (same machine and CLI, one listed 100,000-code create each; the rows above are this run's): " +
      "Node 22 217 MiB with V8's defaults, 187 MiB with optimize-for-size alone, 175-181 MiB with the collection " +
      "after it, 177 MiB with both flags; Node 24 332 MiB with V8's defaults, 265 MiB with optimize-for-size alone, " +
      "184 MiB with both flags (young generation capped at start, for comparison: 177 MiB). Uploads took 54.2-55.8 s " +
      "in every case. Forcing full collections after each job, without the flags, had not lowered the peak. Earlier " +
      "changes: unpacking the packed codes once per command instead of in each of `check`, `diff` and `create` took " +
      "the 500,000 listed codes from 417 to 354-360 MiB; generation no longer allocates a native HMAC object per code.",
    "",
    "### 0.5 Refresh without latency",
    "",
    "The floor assumes Klaviyo answers instantly and that bursts can be sent in exact 1 s windows. The client " +
      "paces each tier with sliding windows of 1.1 s, because Klaviyo counts in fixed wall-clock windows whose phase " +
      "a client cannot know. Diagnostic runs (the provider's `read` in one process against the emulator): 100,000 " +
      "codes took 3.2 to 3.3 s whether or not the emulator enforced its limits, so the client's own pacing is what " +
      "bounds it; requests counted per 100 ms show every window replaying the first one's ramp (about 20 requests " +
      "per 100 ms while connections open and code warms up, then 70), since a sliding window lets request n go only " +
      "1.1 s after request n - 350. With 1.0 s windows the same refresh took 4.0 to 5.2 s: requests then fell into " +
      "the emulator's fixed windows over the limit and waited out 429s. Klaviyo's `RateLimit-*` headers describe " +
      "only the steady window (3,500 a minute), which a 1,000-page refresh never reaches, so they cannot shorten " +
      "the burst pacing either. Even with instant answers, 1.1 s windows alone put 1,000 pages at 2.2 s, 1.1× " +
      "the floor, before any time to serve the last window's requests. What sets the rest is the client's CPU: with " +
      "the listing in its own process and the emulator in another (diagnostic run, Node 22), the emulator spent " +
      "0.83 ms of CPU per page and the client about 1.25 ms (axios 0.3, `JSON.parse` of a 45 KB page 0.3, garbage " +
      "collection 0.28, sockets 0.25, zod 0.1), so the first window's 350 pages take about 0.5 s to go out, and " +
      "the sliding window makes the second and third replay that pace: the last of about 1,010 requests leaves " +
      "near 2.2 s + 0.5 s. Meeting 1.25× (2.5 s) would need the first 310 pages out within 0.3 s, under 1 ms of " +
      "client CPU per page including the first requests of a cold process. The memory-saving heap mode of §0.4 " +
      "makes this worse: the listing keeps a growing map of every code live while each page allocates 45 KB of " +
      "text and its parsed copies, and a young generation that no longer grows promotes them early, so the old " +
      "generation is collected again and again. The previous full run of this benchmark (same code without the " +
      "mode, Node 22) listed in 2.81 s (1.40×) and 5.63 s at 50 ms (2.74×); diagnostic runs with the mode, 3.06 s " +
      "(optimize-for-size alone) and 3.13 s (both flags); this run 4.01 s and 5.92 s, still within 3× at 50 ms. The " +
      "mode stays on because it is what brings the uploads under their memory targets and every command's host " +
      "peak down (the refresh's from 248 to 176 MiB); a user who refreshes very large pools often and has memory " +
      "to spare can set `KLAVIYO_HOST_OPTIMIZE_FOR_SIZE=false`.",
    "",
  ];
};
