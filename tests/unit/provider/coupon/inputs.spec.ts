import { strict as assert } from "assert";
import type * as pulumi from "@pulumi/pulumi";
import type { CouponArgs } from "../../../../provider/coupon/resource";
import { COUPON_INPUTS, couponInputsFrom } from "../../../../provider/coupon/check";
import { update } from "../../../../provider/coupon/handlers";
import { couponOutputsFrom } from "../../../../provider/coupon/mappers";

// True only when A and B are the same type (optionality and readonly included).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The public args as release 0.1.0 declared them by hand: the derived ones must not differ.
interface ReleasedCouponArgs {
  externalId: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  lowBalanceThreshold?: pulumi.Input<number>;
  adopt?: pulumi.Input<boolean>;
}

// Compile-time check (npx tsc --noEmit): fails to compile when the public args drift.
const _publicArgs: Same<CouponArgs, ReleasedCouponArgs> = true;

const PROVIDER = "exports.handler = ...";

describe("coupon inputs (the one declaration)", () => {
  it("declares externalId as the one input that replaces", () => {
    const replacing = Object.entries(COUPON_INPUTS).filter(([, decl]) => "replaces" in decl);
    assert.deepEqual(
      replacing.map(([name]) => name),
      ["externalId"],
    );
  });

  describe("couponInputsFrom", () => {
    it("reads checked inputs, applying adopt's default and keeping the serialized provider", () => {
      assert.deepEqual(couponInputsFrom({ externalId: "A", lowBalanceThreshold: 5, __provider: PROVIDER }), {
        externalId: "A",
        lowBalanceThreshold: 5,
        adopt: false,
        __provider: PROVIDER,
      });
    });

    it("fails on a value of the wrong kind, naming the property", () => {
      assert.throws(
        () => couponInputsFrom({ externalId: "A", lowBalanceThreshold: "5" }),
        /^Error: Coupon inputs: lowBalanceThreshold must be a whole number, got a string$/,
      );
      assert.throws(() => couponInputsFrom({ description: "d" }), /externalId is missing/);
    });
  });

  describe("couponOutputsFrom", () => {
    it("reads the state release 0.1.0 wrote", () => {
      const state = {
        couponId: "A",
        externalId: "A",
        description: null,
        lowBalanceThreshold: 5,
        adopt: true,
        __provider: PROVIDER,
      };
      assert.deepEqual(couponOutputsFrom(state, "A"), {
        couponId: "A",
        externalId: "A",
        description: null,
        lowBalanceThreshold: 5,
        adopt: true,
      });
    });
  });

  describe("update", () => {
    it("keeps the stored outputs, with the new adopt, when neither description nor threshold changed", async () => {
      const olds = {
        couponId: "A",
        externalId: "A",
        description: "d",
        lowBalanceThreshold: null,
        adopt: false,
      };
      const news = { externalId: "A", description: "d", adopt: true, __provider: PROVIDER };
      assert.deepEqual(await update("A", olds, news), {
        outs: { couponId: "A", externalId: "A", description: "d", lowBalanceThreshold: null, adopt: true },
      });
    });
  });
});
