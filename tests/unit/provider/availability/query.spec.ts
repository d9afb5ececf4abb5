import { strict as assert } from "assert";
import {
  availabilityFilter,
  normalizeAvailabilityQuery,
  parseInstant,
  parseStatus,
} from "../../../../provider/availability/query";

describe("availabilityQuery", () => {
  describe("parseInstant", () => {
    it("normalizes date-times with an offset to UTC", () => {
      assert.equal(parseInstant("x", "2027-01-01T02:00:00+02:00"), "2027-01-01T00:00:00.000Z");
      assert.equal(parseInstant("x", "2027-01-01T00:00:00Z"), "2027-01-01T00:00:00.000Z");
    });

    it("reads a bare date as midnight UTC", () => {
      assert.equal(parseInstant("x", "2027-03-04"), "2027-03-04T00:00:00.000Z");
    });

    it("accepts a Date", () => {
      assert.equal(parseInstant("x", new Date(Date.UTC(2027, 0, 2))), "2027-01-02T00:00:00.000Z");
    });

    it("rejects values without an offset or seconds, impossible dates and invalid Dates, naming the option", () => {
      for (const bad of [
        "2027-01-01T00:00:00",
        "2027-01-01T00:00Z",
        "2027-02-30",
        "2027-02-29T00:00:00Z",
        "soon",
        "",
        new Date(NaN),
      ]) {
        assert.throws(() => parseInstant("--expires-after", bad), /^TypeError: --expires-after must be/);
      }
    });

    it("accepts 29 February in a leap year", () => {
      assert.equal(parseInstant("x", "2028-02-29"), "2028-02-29T00:00:00.000Z");
    });
  });

  describe("parseStatus", () => {
    it("accepts any case and surrounding spaces", () => {
      assert.equal(parseStatus(" assigned_to_profile "), "ASSIGNED_TO_PROFILE");
    });

    it("lists the valid statuses when the value is unknown", () => {
      assert.throws(() => parseStatus("FREE", "--status"), /--status must be one of UNASSIGNED, PROCESSING/);
    });
  });

  describe("normalizeAvailabilityQuery", () => {
    it("fills absent values with null and includeCodes with false", () => {
      assert.deepEqual(normalizeAvailabilityQuery({ couponId: "A" }), {
        couponId: "A",
        status: null,
        expiresAfter: null,
        expiresBefore: null,
        includeCodes: false,
      });
    });

    it("rejects an empty coupon id", () => {
      assert.throws(() => normalizeAvailabilityQuery({ couponId: " " }), /couponId/);
    });

    it("rejects an empty window when expiresAfter is not before expiresBefore", () => {
      assert.throws(
        () =>
          normalizeAvailabilityQuery({
            couponId: "A",
            expiresAfter: "2027-01-01",
            expiresBefore: "2027-01-01",
          }),
        /expiresAfter .* must be earlier than expiresBefore/,
      );
    });
  });

  describe("availabilityFilter", () => {
    it("sends only the coupon condition when nothing else is set", () => {
      assert.equal(
        availabilityFilter(normalizeAvailabilityQuery({ couponId: "A" })),
        'equals(coupon.id,"A")',
      );
    });

    it("combines coupon, status and a half-open expiry window", () => {
      const q = normalizeAvailabilityQuery({
        couponId: 'we"ird,id)',
        status: "unassigned",
        expiresAfter: "2027-01-01",
        expiresBefore: "2027-02-01",
      });
      assert.equal(
        availabilityFilter(q),
        'and(equals(coupon.id,"we\\"ird,id)"),equals(status,"UNASSIGNED"),' +
          "greater-or-equal(expires_at,2027-01-01T00:00:00.000Z),less-than(expires_at,2027-02-01T00:00:00.000Z))",
      );
    });
  });
});
