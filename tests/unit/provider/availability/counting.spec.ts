import { strict as assert } from "assert";
import {
  getCouponCodeAvailability,
  lowStockMessage,
  resolveAvailabilityClient,
  type CouponCodeAvailability,
} from "../../../../provider/availability/counting";
import { createKlaviyoClient, isKlaviyoError, type KlaviyoClient } from "../../../../provider/client";
import { useTestEmulator } from "../../../../testkit/emulator";
import {
  COUPON,
  codeName,
  E1,
  E2,
  E3,
  emulatorClient,
  EXPECTED,
  rendered,
  seedPool,
} from "../../../../testkit/poolFixture";

function summary(a: CouponCodeAvailability) {
  return {
    total: a.total,
    unassigned: a.unassigned,
    assigned: a.counts.ASSIGNED_TO_PROFILE,
    used: a.counts.USED,
  };
}

describe("availability", () => {
  const queries: string[] = [];
  // Seeded once: every test only reads. Rate limits stay on, as in production.
  const emulator = useTestEmulator(
    {
      onResponse(info) {
        if (info.operationId === "get_coupon_codes") queries.push(decodeURIComponent(info.query));
      },
    },
    { resetBetweenTests: false },
  );
  let client: KlaviyoClient;
  before(async () => {
    await seedPool(emulator());
    client = emulatorClient(emulator());
  });
  beforeEach(() => {
    queries.length = 0;
  });

  describe("getCouponCodeAvailability", () => {
    it("counts every status over several pages when no filter is given", async () => {
      const a = await getCouponCodeAvailability({ couponId: COUPON }, client);
      assert.deepEqual(summary(a), EXPECTED.all);
      assert.deepEqual(a.counts, {
        UNASSIGNED: 195,
        PROCESSING: 0,
        ASSIGNED_TO_PROFILE: 35,
        USED: 20,
        VERSION_NOT_ACTIVE: 0,
        DELETING: 0,
        UNKNOWN: 0,
      });
      assert.equal(a.earliestUnassignedExpiry, rendered(E1));
      assert.equal(a.latestUnassignedExpiry, rendered(E3));
      assert.deepEqual(a.filters, { status: null, expiresAfter: null, expiresBefore: null });
      assert.equal("codes" in a, false);
    });

    it("filters at Klaviyo, page by page, asking only for status and expiry", async () => {
      await getCouponCodeAvailability({ couponId: COUPON, expiresAfter: E2 }, client);
      assert.equal(queries.length, 2, queries.join("\n"));
      for (const q of queries) {
        assert.match(
          q,
          /filter=and\(equals\(coupon\.id,"SPRING10"\),greater-or-equal\(expires_at,2027-06-01T00:00:00\.000Z\)\)/,
        );
        assert.match(q, /fields\[coupon-code\]=status,expires_at(&|$)/);
        assert.match(q, /page\[size\]=100/);
      }
      assert.match(queries[1], /page\[cursor\]=/);
    });

    it("includes codes at the lower bound and excludes them at the upper bound", async () => {
      const from = await getCouponCodeAvailability({ couponId: COUPON, expiresAfter: E2 }, client);
      assert.deepEqual(summary(from), EXPECTED.fromE2);
      assert.equal(from.earliestUnassignedExpiry, rendered(E2));
      const before = await getCouponCodeAvailability({ couponId: COUPON, expiresBefore: E2 }, client);
      assert.deepEqual(summary(before), EXPECTED.beforeE2);
      assert.equal(before.latestUnassignedExpiry, rendered(E1));
      const window = await getCouponCodeAvailability(
        { couponId: COUPON, expiresAfter: new Date(E1), expiresBefore: "2028-01-01" },
        client,
      );
      assert.deepEqual(summary(window), EXPECTED.e1ToE3);
      assert.deepEqual(window.filters, {
        status: null,
        expiresAfter: "2027-01-01T00:00:00.000Z",
        expiresBefore: "2028-01-01T00:00:00.000Z",
      });
    });

    it("reports no expiry range when no unassigned code matches", async () => {
      const a = await getCouponCodeAvailability(
        { couponId: COUPON, expiresAfter: "2028-01-01T00:00:01Z" },
        client,
      );
      assert.deepEqual(summary(a), { total: 0, unassigned: 0, assigned: 0, used: 0 });
      assert.equal(a.earliestUnassignedExpiry, null);
      assert.equal(a.latestUnassignedExpiry, null);
    });

    it("counts only the requested status when status is given", async () => {
      const used = await getCouponCodeAvailability({ couponId: COUPON, status: "used" }, client);
      assert.deepEqual(summary(used), { total: 20, unassigned: 0, assigned: 0, used: 20 });
      assert.equal(used.filters.status, "USED");
      assert.equal(used.earliestUnassignedExpiry, null);
      assert.match(queries.join("\n"), /equals\(status,"USED"\)/);
      const free = await getCouponCodeAvailability(
        { couponId: COUPON, status: "UNASSIGNED", expiresBefore: E2 },
        client,
      );
      assert.deepEqual(summary(free), { total: 70, unassigned: 70, assigned: 0, used: 0 });
    });

    it("returns the codes, with profiles, only when includeCodes is set", async () => {
      const a = await getCouponCodeAvailability(
        { couponId: COUPON, expiresBefore: E2, includeCodes: true },
        client,
      );
      assert.equal(a.codes?.length, 100);
      assert.deepEqual(a.codes?.[0], {
        uniqueCode: codeName(0),
        status: "ASSIGNED_TO_PROFILE",
        expiresAt: rendered(E1),
        profileId: "PROFILE0",
      });
      assert.deepEqual(a.codes?.[99], {
        uniqueCode: codeName(99),
        status: "UNASSIGNED",
        expiresAt: rendered(E1),
        profileId: null,
      });
      assert.match(queries[0], /fields\[coupon-code\]=unique_code,status,expires_at/);
    });

    it("reports progress after each page", async () => {
      const seen: number[] = [];
      await getCouponCodeAvailability({ couponId: COUPON }, client, {
        onProgress: (p) => seen.push(p.codes),
      });
      assert.deepEqual(seen, [100, 200, 250]);
    });

    it("fails with Klaviyo's 404 when the coupon does not exist", async () => {
      await assert.rejects(getCouponCodeAvailability({ couponId: "NOPE" }, client), (e: unknown) => {
        assert.ok(isKlaviyoError(e));
        assert.equal(e.status, 404);
        assert.match(e.message, /\/api\/coupons\/NOPE/);
        return true;
      });
      assert.equal(queries.length, 0);
    });

    it("counts zero codes of an unknown coupon when checkCoupon is false", async () => {
      const a = await getCouponCodeAvailability({ couponId: "NOPE" }, client, { checkCoupon: false });
      assert.equal(a.total, 0);
    });

    it("rejects an invalid query before sending anything", async () => {
      await assert.rejects(
        getCouponCodeAvailability({ couponId: COUPON, status: "GONE" }, client),
        TypeError,
      );
      await assert.rejects(
        getCouponCodeAvailability({ couponId: COUPON, expiresAfter: E3, expiresBefore: E1 }, client),
        /must be earlier than/,
      );
      assert.equal(queries.length, 0);
    });

    it("builds its client from client options", async () => {
      const { url, apiKey } = emulator();
      const a = await getCouponCodeAvailability({ couponId: "OTHER" }, { apiKey, baseUrl: url });
      assert.equal(a.total, 5);
    });
  });

  describe("resolveAvailabilityClient", () => {
    it("returns a client unchanged when given one", () => {
      assert.equal(resolveAvailabilityClient(client), client);
    });

    it("reads KLAVIYO_API_KEY and KLAVIYO_BASE_URL when given nothing", async () => {
      const { url, apiKey } = emulator();
      const fromEnv = resolveAvailabilityClient(undefined, {
        KLAVIYO_API_KEY: apiKey,
        KLAVIYO_BASE_URL: url,
      });
      const a = await getCouponCodeAvailability({ couponId: "OTHER" }, fromEnv);
      assert.equal(a.unassigned, 5);
    });

    it("names KLAVIYO_API_KEY when no key is set", () => {
      assert.throws(() => resolveAvailabilityClient(undefined, {}), /KLAVIYO_API_KEY/);
    });

    it("refuses plain http to a non-loopback host", () => {
      assert.throws(
        () =>
          resolveAvailabilityClient(undefined, {
            KLAVIYO_API_KEY: "k",
            KLAVIYO_BASE_URL: "http://example.com",
          }),
        /https/,
      );
    });
  });

  describe("lowStockMessage", () => {
    const base = (unassigned: number, expiresAfter: string | null = null): CouponCodeAvailability => ({
      couponId: "SPRING10",
      filters: { status: null, expiresAfter, expiresBefore: null },
      total: unassigned,
      counts: {
        UNASSIGNED: unassigned,
        PROCESSING: 0,
        ASSIGNED_TO_PROFILE: 0,
        USED: 0,
        VERSION_NOT_ACTIVE: 0,
        DELETING: 0,
        UNKNOWN: 0,
      },
      unassigned,
      earliestUnassignedExpiry: null,
      latestUnassignedExpiry: null,
    });

    it("returns null when stock is at or above the threshold", () => {
      assert.equal(lowStockMessage(base(10), 10), null);
      assert.equal(lowStockMessage(base(11), 10), null);
    });

    it("names the coupon, the count, the window and the threshold when stock is low", () => {
      assert.equal(
        lowStockMessage(base(1, "2027-01-01T00:00:00.000Z"), 10),
        'Coupon "SPRING10" has 1 unassigned code expiring at or after 2027-01-01T00:00:00.000Z, below the minimum of 10.',
      );
    });
  });

  describe("client key hygiene", () => {
    it("never puts the key in an authentication error", async () => {
      const bad = createKlaviyoClient({ apiKey: "pk_wrong_secret_value", baseUrl: emulator().url });
      await assert.rejects(getCouponCodeAvailability({ couponId: COUPON }, bad), (e: unknown) => {
        assert.ok(isKlaviyoError(e));
        assert.equal(e.status, 401);
        assert.doesNotMatch(JSON.stringify({ m: e.message, j: e }), /pk_wrong_secret_value/);
        return true;
      });
    });
  });
});
