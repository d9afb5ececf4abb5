import { strict as assert } from "assert";
import {
  clip,
  echo,
  ECHO_MAX_LENGTH,
  own,
  rfc3339Instant,
  unknownKeyFailures,
} from "../../../provider/values";
import { hostDecoded } from "../../fixtures/malformedBatchInputs";

describe("values", () => {
  describe("clip and echo", () => {
    it("keeps values of at most 64 characters whole", () => {
      const text = "A".repeat(ECHO_MAX_LENGTH);
      assert.equal(clip(text), text);
      assert.equal(echo(text), JSON.stringify(text));
      assert.equal(echo(12), "12");
      assert.equal(echo(null), "null");
    });

    it("cuts longer values at 64 characters with an ellipsis and the full length", () => {
      const text = "A".repeat(1_000_000);
      assert.equal(clip(text), `${"A".repeat(64)}… (1000000 characters)`);
      assert.equal(echo(text), `"${"A".repeat(64)}…" (1000000 characters)`);
      const json = JSON.stringify({ list: Array.from({ length: 1000 }, (_, i) => i) });
      assert.equal(echo(JSON.parse(json)), `${json.slice(0, 64)}… (${json.length} characters)`);
    });

    it("never splits a surrogate pair when cutting", () => {
      const text = "A".repeat(63) + "😀".repeat(10);
      assert.equal(clip(text), `${"A".repeat(63)}… (${text.length} characters)`);
    });
  });

  describe("own", () => {
    it("reads own properties and ignores what a decoded __proto__ key put on the prototype", () => {
      const news = hostDecoded('{"couponId":"C","__proto__":{"codes":["A1"]}}');
      assert.equal((news as { codes?: unknown }).codes !== undefined, true, "assignment decoding inherits");
      assert.equal(own(news, "couponId"), "C");
      assert.equal(own(news, "codes"), undefined);
      assert.equal(own(Object.create(null) as object, "codes"), undefined);
    });
  });

  describe("unknownKeyFailures", () => {
    it("reports unknown keys and a __proto__ key the host decoded into the prototype", () => {
      const news = hostDecoded('{"couponId":"C","expiry":"x","__proto__":{"codes":["A1"]}}');
      assert.deepEqual(unknownKeyFailures(news, ["couponId"]), [
        { property: "expiry", reason: 'unknown property "expiry"' },
        { property: "__proto__", reason: 'unknown property "__proto__"' },
      ]);
      assert.deepEqual(unknownKeyFailures(Object.create(null) as object, []), []);
    });

    it("cuts an overlong key in the property and in the reason", () => {
      const key = "K".repeat(100_000);
      const [failure] = unknownKeyFailures({ [key]: 1 }, [], "generate.");
      assert.equal(failure.property, `generate.${"K".repeat(55)}… (100009 characters)`);
      assert.equal(failure.reason, `unknown property "${"K".repeat(64)}…" (100000 characters)`);
    });
  });

  describe("rfc3339Instant", () => {
    it("reads RFC 3339 date-times with Z or ±hh:mm as instants, whatever the host's time zone", () => {
      const utc = Date.parse("2031-06-30T21:59:59Z");
      assert.equal(rfc3339Instant("2031-06-30T21:59:59Z"), utc);
      assert.equal(rfc3339Instant("2031-06-30T23:59:59+02:00"), utc);
      assert.equal(rfc3339Instant("2031-06-30T16:29:59-05:30"), utc);
      assert.equal(rfc3339Instant("2031-06-30T21:59:59-00:00"), utc);
      assert.equal(rfc3339Instant("2031-06-30T21:59:59.250Z"), utc + 250);
      assert.equal(rfc3339Instant("2031-06-30T21:59:59.123456789Z"), utc + 123.456789);
      assert.equal(rfc3339Instant("0099-01-01T00:00:00Z"), Date.parse("0099-01-01T00:00:00Z"));
    });

    it("refuses what Klaviyo refuses: no offset, no seconds, a bare date, +hhmm, impossible values", () => {
      for (const text of [
        "2031-06-30",
        "2031-06-30T23:59",
        "2031-06-30T23:59:59",
        "2031-06-30T23:59:59.5",
        "2031-06-30T23:59:59+0200",
        "2031-06-30T23:59:59+02",
        "2031-06-30 23:59:59Z",
        "2031-06-30t23:59:59z",
        "2031-02-29T00:00:00Z",
        "2031-13-01T00:00:00Z",
        "2031-06-00T00:00:00Z",
        "2031-06-30T24:00:00Z",
        "2031-06-30T23:60:00Z",
        "2031-06-30T23:59:60Z",
        "2031-06-30T23:59:59+24:00",
        "2031-06-30T23:59:59.Z",
        " 2031-06-30T23:59:59Z",
        "+002031-06-30T23:59:59Z",
      ]) {
        assert.equal(rfc3339Instant(text), undefined, text);
      }
      assert.notEqual(rfc3339Instant("2032-02-29T00:00:00Z"), undefined, "a leap day exists");
    });
  });
});
