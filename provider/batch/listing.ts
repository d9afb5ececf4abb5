/**
 * Reading a coupon's codes back from Klaviyo: one paged listing on GET /api/coupon-codes
 * (rate-limit tier XL, 350/s), filtered by coupon, with only the fields we need.
 */
import { filter, type KlaviyoClient } from "../client";
import { codeReader, type LiveCode } from "./mappers";

/** Statuses meaning a profile holds (or has used) the code: such codes are never deleted silently. */
const HELD_STATUSES = ["ASSIGNED_TO_PROFILE", "USED"];

/** True when a profile holds the code. */
export function isHeld(code: LiveCode): boolean {
  return code.profileId !== null || (code.status !== null && HELD_STATUSES.includes(code.status));
}

/** Lists every code of a coupon, keyed by unique code. */
export async function listCouponCodes(
  client: KlaviyoClient,
  couponId: string,
): Promise<Map<string, LiveCode>> {
  const live = new Map<string, LiveCode>();
  const readCode = codeReader();
  const pages = client.getCouponCodes({
    filter: filter.equals("coupon.id", couponId),
    pageSize: 100,
  });
  for await (const page of pages) {
    for (const item of page.data) {
      const read = readCode(item);
      if (read) live.set(read.code, read.live);
    }
  }
  return live;
}

/** Counts codes per Klaviyo status (`UNKNOWN` for a null status). */
export function countStatuses(codes: Iterable<string>, live: Map<string, LiveCode>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) {
    const status = live.get(code)?.status ?? "UNKNOWN";
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** The earliest and latest expiry among the given codes, or null when none is known. */
export function expiryRange(
  codes: Iterable<string>,
  live: Map<string, LiveCode>,
): { earliest: string; latest: string } | null {
  let earliest: string | null = null;
  let latest: string | null = null;
  let earliestMs = Infinity;
  let latestMs = -Infinity;
  for (const code of codes) {
    const at = live.get(code)?.expiresAt;
    if (!at) continue;
    const ms = Date.parse(at);
    if (ms < earliestMs) [earliestMs, earliest] = [ms, at];
    if (ms > latestMs) [latestMs, latest] = [ms, at];
  }
  return earliest && latest ? { earliest, latest } : null;
}

/** What a batch's codes leave to send, and what expiry took from it, at one instant. */
export interface StockCounts {
  /** Codes no profile holds, `UNASSIGNED` and unexpired: what messages can still hand out. */
  available: number;
  /** Expired codes no profile holds (what `pruneExpired` deletes). */
  expiredUnassigned: number;
  /** Expired codes a profile holds (reported, never deleted). */
  expiredHeld: number;
}

/** True when the code's expiry lies at or before `now` (ms). */
function isExpired(code: LiveCode, now: number): boolean {
  return code.expiresAt !== null && Date.parse(code.expiresAt) <= now;
}

/** Counts the stock of `codes` at `now` (ms since the epoch). */
export function stockCounts(codes: Iterable<string>, live: Map<string, LiveCode>, now: number): StockCounts {
  const counts: StockCounts = { available: 0, expiredUnassigned: 0, expiredHeld: 0 };
  for (const code of codes) {
    const read = live.get(code);
    if (!read) continue;
    if (isExpired(read, now)) {
      if (isHeld(read)) counts.expiredHeld++;
      else if (read.status === "UNASSIGNED") counts.expiredUnassigned++;
    } else if (read.status === "UNASSIGNED" && !isHeld(read)) counts.available++;
  }
  return counts;
}

/** The codes among `codes` that expired by `now` and that no profile holds (what pruning deletes). */
export function expiredUnheld(codes: readonly string[], live: Map<string, LiveCode>, now: number): string[] {
  return codes.filter((code) => {
    const read = live.get(code);
    return read !== undefined && read.status === "UNASSIGNED" && !isHeld(read) && isExpired(read, now);
  });
}
