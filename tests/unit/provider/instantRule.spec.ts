import { strict as assert } from "assert";
import { parseInstant } from "../../../provider/availability/query";
import { checkBatchInputs } from "../../../provider/batch/check";
import { queryFromOptions } from "../../../bin/cliOptions";

// One rule for every date the package reads (`rfc3339Instant` in provider/values.ts): an RFC 3339
// date-time with seconds and an offset (upper-case T and Z); a date alone only where a bound is compared.
const NOW = Date.parse("2026-11-24T00:00:00Z");

function orUndefined<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** What each call site makes of `text`: the instant (ISO, UTC) it reads, or undefined when it refuses. */
function readBy(text: string) {
  const { failures } = checkBatchInputs({ couponId: "C", codes: ["A1"], expiresAt: text }, NOW);
  // The batch sends the text unchanged; Klaviyo reads it as this instant.
  const batch = failures.some((f) => f.property === "expiresAt") ? undefined : new Date(text).toISOString();
  const options = { coupon: "C", "expires-after": text };
  return {
    batch,
    availability: orUndefined(() => parseInstant("expiresAfter", text)),
    cli: orUndefined(() => queryFromOptions("availability", options, false).expiresAfter ?? undefined),
  };
}

const ACCEPTED: Array<[string, string]> = [
  ["2031-06-30T21:59:59Z", "2031-06-30T21:59:59.000Z"],
  ["2031-06-30T23:59:59+02:00", "2031-06-30T21:59:59.000Z"],
  ["2031-06-30T16:29:59-05:30", "2031-06-30T21:59:59.000Z"],
  ["2031-06-30T21:59:59.250Z", "2031-06-30T21:59:59.250Z"],
  ["2032-02-29T00:00:00Z", "2032-02-29T00:00:00.000Z"],
];

const REFUSED = [
  "2031-06-30T23:59Z", // no seconds
  "2031-06-30T23:59:59", // no offset
  "2031-06-30t23:59:59z", // lower case
  "2031-06-30T23:59:59+0200", // offset without a colon
  "2031-06-30 23:59:59Z",
  "2031-02-29T00:00:00Z", // no such day
  "2031-02-29",
  "2031-06-30T24:00:00Z",
  "2031-06-30T23:59:60Z", // leap second
  "2031-06-30T23:59:59+24:00",
  "2031-6-30",
  "tomorrow",
];

describe("one date rule (batch expiresAt, availability bounds, the CLI's --expires-after)", () => {
  for (const [text, instant] of ACCEPTED) {
    it(`all three read ${text} as ${instant}`, () => {
      assert.deepEqual(readBy(text), { batch: instant, availability: instant, cli: instant });
    });
  }

  for (const text of REFUSED) {
    it(`all three refuse ${JSON.stringify(text)}`, () => {
      assert.deepEqual(readBy(text), { batch: undefined, availability: undefined, cli: undefined });
    });
  }

  it("a date alone is midnight UTC for a bound, and refused as an expiry (Klaviyo needs a time)", () => {
    const instant = "2031-06-30T00:00:00.000Z";
    assert.deepEqual(readBy("2031-06-30"), { batch: undefined, availability: instant, cli: instant });
  });
});
