/**
 * What `npm start` prints after `pulumi up`: the stack outputs and a table of code availability.
 *
 * @packageDocumentation
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import { getCouponCodeAvailability } from "../provider/availability/counting";
import type { KlaviyoClient } from "../provider/client";

/** Statuses always shown, even at zero, because they are the ones a shop watches. */
const MAIN_STATUSES = ["UNASSIGNED", "ASSIGNED_TO_PROFILE", "USED"];

/** Renders stack outputs one per line, sorted by name; secret values are masked as Pulumi masks them. */
export function formatOutputs(outputs: OutputMap): string {
  const names = Object.keys(outputs).sort();
  if (names.length === 0) return "Stack outputs: none";
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => {
    const { value, secret } = outputs[name];
    return `  ${name.padEnd(width)}  ${secret ? "[secret]" : JSON.stringify(value)}`;
  });
  return ["Stack outputs:", ...lines].join("\n");
}

/**
 * Reads per-status counts from a `statusCounts` output (what `CouponCodeBatch.statusCounts` holds),
 * or returns `undefined` when the program exports none or it is not a map of numbers.
 */
export function statusCountsFromOutputs(outputs: OutputMap): Record<string, number> | undefined {
  const value = outputs.statusCounts?.value as unknown;
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.every(([, n]) => typeof n === "number")) return undefined;
  return Object.fromEntries(entries) as Record<string, number>;
}

/**
 * Counts a coupon's codes per status the way the library and the CLI count availability (one listing of
 * GET /api/coupon-codes filtered by coupon), keeping only the statuses some code has.
 */
export async function countStatusesByListing(
  client: KlaviyoClient,
  couponId: string,
): Promise<Record<string, number>> {
  const { counts } = await getCouponCodeAvailability({ couponId }, client, { checkCoupon: false });
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Renders per-status counts as a small table with a total, main statuses first. */
export function formatAvailability(title: string, counts: Record<string, number>): string {
  const others = Object.keys(counts)
    .filter((s) => !MAIN_STATUSES.includes(s))
    .sort();
  const rows = [...MAIN_STATUSES, ...others].map((s): [string, string] => [s, String(counts[s] ?? 0)]);
  const total = String(Object.values(counts).reduce((a, b) => a + b, 0));
  const width = Math.max("STATUS".length, ...rows.map(([s]) => s.length));
  const numWidth = Math.max("CODES".length, total.length, ...rows.map(([, n]) => n.length));
  const line = (s: string, n: string) => `  ${s.padEnd(width)}  ${n.padStart(numWidth)}`;
  return [
    title,
    line("STATUS", "CODES"),
    ...rows.map(([s, n]) => line(s, n)),
    line("-".repeat(width), "-".repeat(numWidth)),
    line("total", total),
  ].join("\n");
}
