import { strict as assert } from "assert";
import type { CouponCode } from "../../../../provider/client";
import { fromCouponCode, toCodeCreate } from "../../../../provider/batch/mappers";

function listed(attributes: Partial<CouponCode["attributes"]>, profileId?: string): CouponCode {
  return {
    type: "coupon-code",
    id: "SPRING10-A1B2C3",
    attributes: { unique_code: "A1B2C3", expires_at: null, status: "UNASSIGNED", ...attributes },
    ...(profileId ? { relationships: { profile: { data: { type: "profile", id: profileId } } } } : {}),
  };
}

describe("batch mappers", () => {
  describe("toCodeCreate", () => {
    it("sends the batch's expiry, or null so that Klaviyo defaults it when the batch has none", () => {
      assert.deepEqual(toCodeCreate("SPRING10", "A1B2C3", "2027-06-30T23:59:59Z"), {
        couponId: "SPRING10",
        unique_code: "A1B2C3",
        expires_at: "2027-06-30T23:59:59Z",
      });
      assert.equal(toCodeCreate("SPRING10", "A1B2C3", undefined).expires_at, null);
    });
  });

  describe("fromCouponCode", () => {
    it("reads the code, its status, expiry and holder when Klaviyo lists them", () => {
      assert.deepEqual(
        fromCouponCode(listed({ status: "ASSIGNED_TO_PROFILE", expires_at: "2027-01-01T00:00:00Z" }, "01P")),
        {
          code: "A1B2C3",
          live: { status: "ASSIGNED_TO_PROFILE", expiresAt: "2027-01-01T00:00:00Z", profileId: "01P" },
        },
      );
    });

    it("returns undefined when the listed item has no code, and null fields when Klaviyo omits them", () => {
      assert.equal(fromCouponCode(listed({ unique_code: null })), undefined);
      assert.deepEqual(fromCouponCode(listed({ status: null }))?.live, {
        status: null,
        expiresAt: null,
        profileId: null,
      });
    });
  });
});
