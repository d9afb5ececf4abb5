/**
 * Puts the SDK's dynamic-provider host into V8's optimize-for-size mode, with a young generation that
 * does not grow.
 *
 * Why: the host's peak memory during a large upload is mostly garbage, not live data. A 100,000-code
 * create holds about 50 MB of live objects, but V8 by default lets the old generation grow to a multiple
 * of that before a full collection and grows the young generation to tens of MB under a high allocation
 * rate, and the job results, listing pages and protobuf conversions of a large pool allocate over 500 MB
 * in all. `--optimize-for-size` makes V8 grow the old generation by small steps and shrink the young one
 * at each collection; `--semi-space-growth-factor=1` keeps the young generation from growing back (Node
 * 24's V8 grows it even in that mode). Measured with the real CLI on a 100,000-code create (one run
 * each): Node 22 217 MiB by default, 175-181 MiB with optimize-for-size and one collection, 177 MiB
 * with both flags; Node 24 332 MiB by default, 265 MiB with optimize-for-size, 184 MiB with both; the upload took 54.5-55.4 s in every case. V8 reads
 * these flags at each collection, so setting them after start takes effect (optimize-for-size is the
 * heap mode V8 also uses for a page in the background); bench/REPORT.md has the full run. The cost is
 * more collection while a command keeps a large structure alive: a 100,000-code refresh listed in 4.0 s
 * instead of 2.8 s in the benchmark.
 *
 * Only the dynamic-provider host is changed, never a process that merely loads the package (tests, the
 * library API, the `klaviyo-coupons` CLI). `KLAVIYO_HOST_OPTIMIZE_FOR_SIZE=false` keeps V8's defaults.
 */
import * as v8 from "v8";
import * as vm from "vm";
import { engineAddressOfHost } from "./engineWatch";

/** The environment variable that opts out of {@link optimizeHostForSize}. */
export const OPTIMIZE_FOR_SIZE_ENV = "KLAVIYO_HOST_OPTIMIZE_FOR_SIZE";

/** What {@link optimizeHostForSize} looks at, and how it sets a flag (tests pass their own). */
export interface HostMemoryContext {
  argv: string[];
  env: Record<string, string | undefined>;
  setFlags: (flags: string) => void;
  /** Runs one full collection, so the heap limit is recomputed under the new mode at once. */
  collect: () => void;
}

// `--expose-gc` set at run time only reaches contexts created after it, hence the new context.
function collectNow(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

let applied = false;

/** The V8 flags the host gets. */
export const HOST_V8_FLAGS = "--optimize-for-size --semi-space-growth-factor=1";

/**
 * In the dynamic-provider host, sets {@link HOST_V8_FLAGS} once per process unless
 * `KLAVIYO_HOST_OPTIMIZE_FOR_SIZE` is `false` or `0`. Returns whether the flag was set by this call.
 */
export function optimizeHostForSize(
  ctx: HostMemoryContext = {
    argv: process.argv,
    env: process.env,
    setFlags: v8.setFlagsFromString,
    collect: collectNow,
  },
): boolean {
  if (applied || engineAddressOfHost(ctx.argv) === undefined) return false;
  const optOut = (ctx.env[OPTIMIZE_FOR_SIZE_ENV] ?? "").trim().toLowerCase();
  if (optOut === "false" || optOut === "0") return false;
  ctx.setFlags(HOST_V8_FLAGS);
  // Until the next full collection the heap keeps the limit it grew to while the host loaded its
  // modules; one collection now (about 50 ms) makes the mode count from this upload on.
  ctx.collect();
  applied = true;
  return true;
}

/** Forgets that the flag was set (tests only). */
export function resetHostMemoryModeForTests(): void {
  applied = false;
}
