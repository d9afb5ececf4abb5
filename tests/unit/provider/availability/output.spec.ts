import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { CouponCodeAvailability } from "../../../../provider/availability/counting";
import { couponCodeAvailability } from "../../../../provider/availability/output";
import { useTestEmulator } from "../../../../testkit/emulator";
import { COUPON, E2, EXPECTED, rendered, seedPool } from "../../../../testkit/poolFixture";

// The SDK keeps these internals on every Output; reading them is how a test awaits an Output.
interface OutputInternals<T> {
  promise(withUnknowns?: boolean): Promise<T>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
}

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as OutputInternals<T>).promise();
}

function internals<T>(output: pulumi.Output<T>): OutputInternals<T> {
  return output as unknown as OutputInternals<T>;
}

const ENV_KEYS = ["KLAVIYO_API_KEY", "KLAVIYO_BASE_URL", "KLAVIYO_REVISION"] as const;

describe("availabilityOutput", () => {
  const emulator = useTestEmulator({}, { resetBetweenTests: false });
  let savedConfig: Record<string, string>;
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    await seedPool(emulator());
    // preview = true: the query must run (and be able to fail) during `pulumi preview`.
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      "project",
      "stack",
      true,
    );
    savedConfig = pulumi.runtime.allConfig();
    for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  });

  beforeEach(() => {
    pulumi.runtime.setAllConfig({});
    for (const k of ENV_KEYS) delete process.env[k];
  });

  after(() => {
    pulumi.runtime.setAllConfig(savedConfig);
    for (const k of ENV_KEYS) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
  });

  function useStackConfig(apiKey = emulator().apiKey): void {
    pulumi.runtime.setAllConfig({ "klaviyo:apiKey": apiKey, "klaviyo:baseUrl": emulator().url }, [
      "klaviyo:apiKey",
    ]);
  }

  describe("couponCodeAvailability", () => {
    it("resolves to the availability using the klaviyo stack config", async () => {
      useStackConfig();
      const a = await settle(couponCodeAvailability({ couponId: pulumi.output(COUPON), expiresAfter: E2 }));
      assert.deepEqual(
        {
          total: a.total,
          unassigned: a.unassigned,
          assigned: a.counts.ASSIGNED_TO_PROFILE,
          used: a.counts.USED,
        },
        EXPECTED.fromE2,
      );
      assert.equal(a.earliestUnassignedExpiry, rendered(E2));
      assert.equal("codes" in a, false);
    });

    it("prefers stack config to the environment", async () => {
      useStackConfig();
      process.env.KLAVIYO_API_KEY = "pk_env_key_that_emulator_rejects";
      const a = await settle(couponCodeAvailability({ couponId: "OTHER" }));
      assert.equal(a.total, 5);
    });

    it("falls back to KLAVIYO_API_KEY and KLAVIYO_BASE_URL without stack config", async () => {
      process.env.KLAVIYO_API_KEY = emulator().apiKey;
      process.env.KLAVIYO_BASE_URL = emulator().url;
      const a = await settle(couponCodeAvailability({ couponId: "OTHER" }));
      assert.equal(a.unassigned, 5);
    });

    it("resolves when unassigned stock equals minUnassigned", async () => {
      useStackConfig();
      const a = await settle(
        couponCodeAvailability({ couponId: COUPON, minUnassigned: EXPECTED.all.unassigned }),
      );
      assert.equal(a.unassigned, 195);
    });

    it("rejects naming the coupon, the count and the threshold when stock is below minUnassigned", async () => {
      useStackConfig();
      const out = couponCodeAvailability({
        couponId: COUPON,
        expiresAfter: E2,
        minUnassigned: pulumi.output(126),
      });
      await assert.rejects(settle(out), {
        message:
          'Coupon "SPRING10" has 125 unassigned codes expiring at or after 2027-06-01T00:00:00.000Z, ' +
          "below the minimum of 126. (minUnassigned)",
      });
    });

    it("rejects minUnassigned combined with another status", async () => {
      useStackConfig();
      await assert.rejects(
        settle(couponCodeAvailability({ couponId: COUPON, status: "USED", minUnassigned: 1 })),
        /minUnassigned cannot be combined with status USED/,
      );
    });

    it("marks the Output secret when includeCodes is set", async () => {
      useStackConfig();
      const out = couponCodeAvailability({ couponId: "OTHER", includeCodes: true });
      const a: CouponCodeAvailability = await settle(out);
      assert.equal(a.codes?.length, 5);
      assert.equal(await internals(out).isSecret, true);
      assert.equal(await internals(couponCodeAvailability({ couponId: "OTHER" })).isSecret, false);
    });

    it("stays unknown, without querying, while the coupon id is unknown in preview", async () => {
      useStackConfig();
      const before = emulator().control.counts().requests;
      const out = couponCodeAvailability({ couponId: pulumi.output(pulumi.unknown as unknown as string) });
      assert.equal(await internals(out).isKnown, false);
      assert.equal(emulator().control.counts().requests, before);
    });

    it("says how to supply a key when none is configured", async () => {
      await assert.rejects(
        settle(couponCodeAvailability({ couponId: COUPON })),
        /pulumi config set --secret klaviyo:apiKey <key>.*KLAVIYO_API_KEY/,
      );
    });

    it("names the coupon and hides the key when Klaviyo refuses the call", async () => {
      useStackConfig("pk_wrong_but_secret_0001");
      await assert.rejects(settle(couponCodeAvailability({ couponId: COUPON })), (e: Error) => {
        assert.match(
          e.message,
          /^couponCodeAvailability\("SPRING10"\): Klaviyo GET \/api\/coupons\/SPRING10 failed: 401/,
        );
        assert.doesNotMatch(e.message, /pk_wrong_but_secret_0001/);
        return true;
      });
    });

    it("reports an unknown coupon as a 404 naming it", async () => {
      useStackConfig();
      await assert.rejects(
        settle(couponCodeAvailability({ couponId: "NOPE" })),
        /couponCodeAvailability\("NOPE"\).*404/,
      );
    });
  });
});
