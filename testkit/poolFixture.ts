/**
 * A seeded code pool shared by the availability specs (library, Pulumi form and command line), with
 * the counts each filter must produce.
 *
 * SPRING10 holds 250 codes (three pages of 100), uploaded in one bulk job with three expiries:
 * - S000-S099 expire at E1; S000-S029 are assigned to profiles.
 * - S100-S199 expire at E2; S100-S119 are marked USED.
 * - S200-S249 expire at E3; S200-S204 are assigned to profiles.
 * OTHER holds 5 codes that must never be counted for SPRING10; QUOTED holds codes that need CSV quoting.
 */
import { createKlaviyoClient, type KlaviyoClient } from "../provider/client";
import type { TestEmulator } from "./emulator";

/** Expiry of S000-S099. */
export const E1 = "2027-01-01T00:00:00Z";
/** Expiry of S100-S199. */
export const E2 = "2027-06-01T00:00:00Z";
/** Expiry of S200-S249. */
export const E3 = "2028-01-01T00:00:00Z";

/** The seeded coupon. */
export const COUPON = "SPRING10";

/** Codes of the coupon whose values need quoting in CSV. */
export const QUOTED_CODES = ['A,"B"', "  padded ", "multi\nline", "plain"];

/** Unique code for index i of SPRING10. */
export function codeName(i: number): string {
  return `S${String(i).padStart(3, "0")}`;
}

/** Expiry of code i as the emulator renders it. */
export function rendered(iso: string): string {
  return iso.replace("Z", "+00:00");
}

/** Expected counts: `[total, unassigned, assigned, used]` for each query the specs make. */
export const EXPECTED = {
  all: { total: 250, unassigned: 195, assigned: 35, used: 20 },
  // [E2, ∞): S100-S249.
  fromE2: { total: 150, unassigned: 125, assigned: 5, used: 20 },
  // (-∞, E2): S000-S099.
  beforeE2: { total: 100, unassigned: 70, assigned: 30, used: 0 },
  // [E1, E3): S000-S199.
  e1ToE3: { total: 200, unassigned: 150, assigned: 30, used: 20 },
};

/** A client on the emulator without client-side pacing concerns. */
export function emulatorClient(emulator: TestEmulator): KlaviyoClient {
  return createKlaviyoClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, rateLimit: { scale: 10 } });
}

/**
 * Seeds SPRING10, OTHER and QUOTED through the API (bulk job plus single creates) and sets statuses
 * through the emulator's control API.
 *
 * @param emulator - A running test emulator (state is added to, not reset).
 */
export async function seedPool(emulator: TestEmulator): Promise<void> {
  const client = emulatorClient(emulator);
  await client.createCoupon({ external_id: COUPON, description: "Spring, 10% off" });
  await client.createCoupon({ external_id: "OTHER", description: null });
  await client.createCoupon({ external_id: "QUOTED", description: 'codes with, "odd" characters' });
  const codes = Array.from({ length: 250 }, (_, i) => ({
    couponId: COUPON,
    unique_code: codeName(i),
    expires_at: i < 100 ? E1 : i < 200 ? E2 : E3,
  }));
  await client.bulkCreateCouponCodes(codes);
  await client.bulkCreateCouponCodes(
    Array.from({ length: 5 }, (_, i) => ({ couponId: "OTHER", unique_code: `O${i}`, expires_at: E1 })),
  );
  for (const code of QUOTED_CODES) {
    await client.createCouponCode({ couponId: "QUOTED", unique_code: code, expires_at: E2 });
  }
  await emulator.control.waitForJobs();
  const { control } = emulator;
  for (let i = 0; i < 30; i++) control.assignCode(`${COUPON}-${codeName(i)}`, `PROFILE${i}`);
  for (let i = 100; i < 120; i++) control.markCodeUsed(`${COUPON}-${codeName(i)}`);
  for (let i = 200; i < 205; i++) control.assignCode(`${COUPON}-${codeName(i)}`, `PROFILE${i}`);
}
