/** Identifier generation for emulator-created resources. */
import { randomBytes } from "crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID-shaped id (26 Crockford base32 characters: 48-bit millisecond time, then 80 random bits),
 * like Klaviyo's job ids (`01GSQPBF74KQ5YTDEPP41T1BZH`).
 */
export function newUlid(nowMs: number): string {
  let time = "";
  let remaining = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const bytes = randomBytes(16);
  let random = "";
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i] % 32];
  return time + random;
}

/** The id of a coupon code: `<couponId>-<unique_code>`, as in the spec's example. Never parse it back. */
export function couponCodeId(couponId: string, uniqueCode: string): string {
  return `${couponId}-${uniqueCode}`;
}
