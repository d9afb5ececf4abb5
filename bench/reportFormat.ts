/**
 * Number formats, statistics and the figures several sections of `bench/REPORT.md` quote, computed once
 * so that the summary and the sections cannot disagree.
 */
import { JOB_SIZE } from "./floors";
import type { Results } from "./types";
import type { OursUpload } from "./upload";

/** One section of the report: its lines, given the run and the figures derived from it. */
export type Section = (r: Results, f: Figures) => string[];

export const sec = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
export const msf = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
/** Seconds with two decimals, or ms below one second. */
export const dur = (ms: number) => (ms < 1000 ? msf(ms) : sec(ms, 2));
export const x = (r: number) => `${r.toFixed(2)}×`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const pct = (r: number) => `${Math.round((r - 1) * 100)}%`;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

export function medianRun(runs: OursUpload[]): OursUpload {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)];
}

/** Baseline time for `count` codes: measured, or (quick run) its median job time times the job count. */
export function baselineFor(r: Results, count: number): { ms: number; extrapolated: boolean } | undefined {
  const measured = r.baselines.find((b) => b.codes === count);
  if (measured) return { ms: measured.wallMs, extrapolated: false };
  const any = r.baselines[0];
  if (!any) return undefined;
  return { ms: any.medianJobMs * Math.ceil(count / JOB_SIZE), extrapolated: true };
}

/** The headline figures: the biggest upload against its floor and baseline, refresh, plan, host memory. */
export function figures(r: Results) {
  const big = r.uploads[r.uploads.length - 1];
  const bigRun = big.runs[0];
  const bigBaseline = baselineFor(r, big.count);
  const refreshMedian = median(r.refresh.runs.map((run) => run.wallMs));
  const refreshListing = median(r.refresh.runs.map((run) => run.listingMs));
  return {
    full: r.plan.mode === "full",
    big,
    bigRun,
    bigRatio: bigRun.wallMs / big.floor.ms,
    bigBaseline,
    speedup: bigBaseline ? bigBaseline.ms / bigRun.wallMs : NaN,
    refreshMedian,
    refreshListing,
    refreshRatio: refreshMedian / r.refresh.floorMs,
    handlerPlan: median(r.planResult.handler.times.map((t) => t.total)),
    grpcPlan: median(r.planResult.grpc.times.map((t) => t.total)),
    hostPeak: bigRun.host ? Math.max(bigRun.host.hwm, bigRun.host.maxSampled) : NaN,
  };
}

/** See {@link figures}. */
export type Figures = ReturnType<typeof figures>;
