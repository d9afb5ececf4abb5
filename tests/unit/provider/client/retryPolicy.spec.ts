import { strict as assert } from "assert";
import {
  backoffDelay,
  MAX_RETRY_AFTER_SECONDS,
  parseHttpDate,
  parseRetryAfter,
} from "../../../../provider/client/retryPolicy";

const DAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAY = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

// The three forms of HTTP-date RFC 9110 section 5.6.7 makes recipients accept.
function httpDates(d: Date): { imf: string; rfc850: string; asctime: string } {
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const [wd, day, mon, year] = [d.getUTCDay(), d.getUTCDate(), MON[d.getUTCMonth()], d.getUTCFullYear()];
  return {
    imf: d.toUTCString(),
    rfc850: `${LONG_DAY[wd]}, ${two(day)}-${mon}-${two(year % 100)} ${time} GMT`,
    asctime: `${DAY[wd]} ${mon} ${String(day).padStart(2, " ")} ${time} ${year}`,
  };
}

describe("retryPolicy", () => {
  describe("parseRetryAfter", () => {
    it("reads integer seconds and HTTP dates", () => {
      assert.equal(parseRetryAfter("3"), 3);
      assert.equal(parseRetryAfter(["2"]), 2);
      assert.equal(parseRetryAfter(undefined), undefined);
      assert.equal(parseRetryAfter("soon"), undefined);
      const inTwo = new Date(Date.now() + 2000).toUTCString();
      assert.ok((parseRetryAfter(inTwo) ?? -1) >= 1);
    });

    it("reads all three HTTP-date forms as seconds from now, rounded up", () => {
      const now = Date.UTC(2026, 6, 15, 12, 0, 0);
      for (const [form, text] of Object.entries(httpDates(new Date(now + 120_000)))) {
        assert.equal(parseRetryAfter(text, now), 120, `${form}: ${text}`);
        assert.equal(parseRetryAfter(text, now + 500), 120, `${form} rounds up`);
      }
      assert.equal(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), 0, "a past date means now");
      assert.equal(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", now), Date.UTC(1994, 10, 6, 8, 49, 37));
      assert.equal(parseHttpDate("Sunday, 06-Nov-70 08:49:37 GMT", now), Date.UTC(2070, 10, 6, 8, 49, 37));
    });

    it("treats negative, garbage, exponent and non-HTTP dates as absent", () => {
      // Date.parse would read several of these as dates in 2001 (a wait of 0).
      for (const bad of [
        "-5",
        "soon",
        "soon 5",
        "1e3",
        "",
        "  ",
        "12 apples",
        "2099-01-01",
        "0x10",
        "Infinity",
      ]) {
        assert.equal(parseRetryAfter(bad), undefined, JSON.stringify(bad));
      }
      assert.equal(parseRetryAfter(-1), undefined);
      assert.equal(parseRetryAfter(NaN), undefined);
      assert.equal(parseRetryAfter("Fri, 31 Feb 2099 00:00:00 GMT"), undefined, "31 February");
      assert.equal(parseRetryAfter("Fri, 01 Jan 2099 25:00:00 GMT"), undefined, "hour 25");
    });

    it("takes absurd values as they are, clamped so milliseconds stay exact", () => {
      assert.equal(parseRetryAfter(" 3000000 "), 3_000_000);
      assert.equal(parseRetryAfter("1.5"), 1.5);
      const now = Date.UTC(2026, 6, 15);
      const year2099 = parseRetryAfter("Thu, 01 Jan 2099 00:00:00 GMT", now) ?? 0;
      assert.equal(year2099, (Date.UTC(2099, 0, 1) - now) / 1000);
      assert.ok(year2099 * 1000 > 2 ** 31 - 1, "more than one timer can hold");
      assert.equal(parseRetryAfter("1" + "0".repeat(400)), MAX_RETRY_AFTER_SECONDS);
      assert.equal(parseRetryAfter(Infinity), MAX_RETRY_AFTER_SECONDS);
      assert.ok(Number.isSafeInteger(MAX_RETRY_AFTER_SECONDS * 1000));
    });
  });

  describe("backoffDelay", () => {
    it("stays within [0, min(max, base * 2^(n-1))]", () => {
      for (let n = 1; n < 40; n++) {
        const d = backoffDelay(n, 100, 5000);
        assert.ok(d >= 0 && d <= Math.min(5000, 100 * 2 ** (n - 1)), `n=${n} d=${d}`);
      }
    });
  });
});
