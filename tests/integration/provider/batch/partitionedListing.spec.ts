import { strict as assert } from "assert";
import { expiryRange, listCouponCodes } from "../../../../provider/batch/listing";
import {
  listStateCodes,
  type ListingTuning,
  type StateCodeListing,
  type StateCodes,
} from "../../../../provider/batch/partitionedListing";
import { createKlaviyoClient, type KlaviyoClient } from "../../../../provider/client";
import { useTestEmulator } from "../../../../testkit/emulator";

// 300 codes in pages of 10: 30 pages, 8 windows of about 4 pages, up to 30 by-id checks.
const TUNING: Partial<ListingTuning> = {
  pageSize: 10,
  minPagesPerWindow: 2,
  maxWindows: 8,
  concurrency: 4,
  minByIdChecks: 20,
  maxByIdChecks: 40,
};
const BASE_MS = Date.parse("2027-04-20T00:00:00Z");
/** An expiry `minutes` after the batch's first one. */
const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();
const batchCodes = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** A client whose listings run `hook(listing, page)` after each page is consumed (listing 0 = the first). */
function hooked(
  client: KlaviyoClient,
  hook: (listing: number, page: number) => Promise<void>,
): KlaviyoClient {
  let listings = 0;
  return {
    ...client,
    getCouponCodes(opts) {
      const listing = listings++;
      const pages = client.getCouponCodes(opts);
      return (async function* () {
        let page = 0;
        for await (const p of pages) {
          yield p;
          await hook(listing, page++);
        }
      })();
    },
  };
}

/** A client that records the most listing page requests it had in flight at once. */
function counting(client: KlaviyoClient): { client: KlaviyoClient; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const wrapped: KlaviyoClient = {
    ...client,
    getCouponCodes(opts) {
      const pages = client.getCouponCodes(opts)[Symbol.asyncIterator]();
      return {
        [Symbol.asyncIterator]: () => ({
          async next() {
            max = Math.max(max, ++inFlight);
            try {
              return await pages.next();
            } finally {
              inFlight--;
            }
          },
        }),
      };
    },
  };
  return { client: wrapped, maxInFlight: () => max };
}

describe("partitionedListing (against the emulator)", function () {
  this.timeout(60_000);
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });
  const client = () =>
    createKlaviyoClient({
      apiKey: emulator().apiKey,
      baseUrl: emulator().url,
      rateLimit: { enabled: false },
    });
  const codeId = (couponId: string, code: string) => `${couponId}-${code}`;

  /** Creates `codes` with their expiries on the coupon (and first the coupon, when `create`). */
  async function seed(couponId: string, codes: Array<[string, string | null]>, create = true): Promise<void> {
    const c = client();
    if (create) await c.createCoupon({ external_id: couponId });
    for (let i = 0; i < codes.length; i += 1000) {
      const chunk = codes.slice(i, i + 1000);
      await c.bulkCreateCouponCodes(
        chunk.map(([code, expires]) => ({ couponId, unique_code: code, expires_at: expires })),
      );
    }
    await emulator().control.waitForJobs();
  }

  /** A batch of 300 codes expiring a minute apart, and the state an apply would have stored for it. */
  async function batch(couponId: string, expiry = (i: number) => at(i)): Promise<StateCodes> {
    const codes = batchCodes("B", 300);
    await seed(
      couponId,
      codes.map((code, i) => [code, expiry(i)]),
    );
    return stateOf(couponId, codes);
  }

  async function stateOf(couponId: string, codes: string[]): Promise<StateCodes> {
    const live = await listCouponCodes(client(), couponId);
    return { codes, pendingCodes: [], expiryRange: expiryRange(codes, live) };
  }

  /** Asserts the listing says what a single walk, made now, says about every code of the state. */
  async function assertAgrees(couponId: string, listing: StateCodeListing, state: StateCodes): Promise<void> {
    const single = await listCouponCodes(client(), couponId);
    const wrong = [...state.codes, ...state.pendingCodes].filter(
      (code) => JSON.stringify(listing.live.get(code)) !== JSON.stringify(single.get(code)),
    );
    assert.deepEqual(wrong, [], "codes the partitioned listing got wrong");
  }

  /** Strategy, reason, windows and by-id checks. */
  const shape = (l: StateCodeListing) => [l.strategy, l.reason, l.windows, l.byIdChecks];

  describe("listStateCodes", () => {
    it("says what the single walk says about every state code when nothing changed", async () => {
      const state = await batch("PLAIN");
      const listing = await listStateCodes(client(), "PLAIN", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 0]);
      assert.equal(listing.live.size, 300);
      await assertAgrees("PLAIN", listing, state);
    });

    it("lists another batch's codes on the same coupon only where their expiry falls in the range", async () => {
      const state = await batch("SHARED");
      const outside = batchCodes("O", 100);
      const inside = batchCodes("I", 20);
      await seed("SHARED", [...outside.map((c, i): [string, string] => [c, at(1000 + i)])], false);
      await seed("SHARED", [...inside.map((c, i): [string, string] => [c, at(i * 10 + 0.5)])], false);
      const listing = await listStateCodes(client(), "SHARED", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 0]);
      assert.deepEqual(
        [outside.filter((c) => listing.live.has(c)), inside.filter((c) => !listing.live.has(c))],
        [[], []],
      );
      await assertAgrees("SHARED", listing, state);
    });

    it("finds codes re-dated out of band by id when outside the range, by listing when inside", async () => {
      const state = await batch("REDATED");
      const c = client();
      await c.updateCouponCode(codeId("REDATED", "B5"), { expires_at: at(-100) });
      await c.updateCouponCode(codeId("REDATED", "B6"), { expires_at: at(5000) });
      await c.updateCouponCode(codeId("REDATED", "B7"), { expires_at: at(290) });
      const listing = await listStateCodes(c, "REDATED", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 2]);
      assert.equal(Date.parse(listing.live.get("B6")?.expiresAt ?? ""), Date.parse(at(5000)));
      await assertAgrees("REDATED", listing, state);
    });

    it("reports codes the state still claims but Klaviyo deleted as gone", async () => {
      const state = await batch("DELETED");
      for (const code of ["B0", "B150", "B299"]) await client().deleteCouponCode(codeId("DELETED", code));
      const listing = await listStateCodes(client(), "DELETED", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 3]);
      assert.deepEqual(
        ["B0", "B150", "B299"].filter((code) => listing.live.has(code)),
        [],
      );
      await assertAgrees("DELETED", listing, state);
    });

    it("reports codes deleted or moved to a walked window while the windows are walked", async () => {
      const state = await batch("DURING");
      const c = client();
      // One window at a time: when the second starts, the first is done and the last not yet begun.
      const during = hooked(c, async (listing, page) => {
        if (listing !== 1 || page !== 0) return;
        await c.deleteCouponCode(codeId("DURING", "B299"));
        await c.deleteCouponCode(codeId("DURING", "B298"));
        await c.updateCouponCode(codeId("DURING", "B297"), { expires_at: at(1) });
      });
      const listing = await listStateCodes(during, "DURING", state, { ...TUNING, concurrency: 1 });
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 3]);
      assert.deepEqual(
        [listing.live.has("B299"), listing.live.has("B298"), listing.live.get("B297")?.expiresAt],
        [false, false, (await c.getCouponCode(codeId("DURING", "B297"))).data.attributes.expires_at],
      );
      await assertAgrees("DURING", listing, state);
    });

    it("checks codes with a null expiry by id, and walks once when too many are missing", async () => {
      emulator().control.seedUiCoupon({ externalId: "NULLS", expiresAt: null });
      await seed(
        "NULLS",
        batchCodes("N", 25).map((code): [string, null] => [code, null]),
        false,
      );
      // A state whose range no longer matches (the codes have no expiry): every code is missed by the windows.
      const claimed = { earliest: at(0), latest: at(299) };
      const few: StateCodes = { codes: batchCodes("N", 15), pendingCodes: [], expiryRange: claimed };
      const tuning = { ...TUNING, pageSize: 5, minPagesPerWindow: 1 };
      const first = await listStateCodes(client(), "NULLS", few, tuning);
      assert.deepEqual(shape(first), ["expiry-windows", null, 3, 15]);
      await assertAgrees("NULLS", first, few);
      const many: StateCodes = { codes: batchCodes("N", 25), pendingCodes: [], expiryRange: claimed };
      const second = await listStateCodes(client(), "NULLS", many, tuning);
      assert.deepEqual(shape(second), ["expiry-windows-then-single-walk", "too-many-missing", 5, 0]);
      await assertAgrees("NULLS", second, many);
      // What an apply stores for codes without expiry: no range, hence the single walk.
      const stored = await stateOf("NULLS", batchCodes("N", 25));
      const third = await listStateCodes(client(), "NULLS", stored, tuning);
      assert.deepEqual(
        [third.strategy, third.reason, stored.expiryRange],
        ["single-walk", "no-expiry-range", null],
      );
      await assertAgrees("NULLS", third, stored);
    });

    it("walks once when every code shares one expiry", async () => {
      const state = await batch("SAME", () => at(0));
      const listing = await listStateCodes(client(), "SAME", state, TUNING);
      assert.deepEqual(shape(listing), ["single-walk", "one-expiry", 0, 0]);
      await assertAgrees("SAME", listing, state);
    });

    it("walks once after the windows when more state codes are missing than may be checked by id", async () => {
      const state = await batch("MASS");
      for (let i = 0; i < 300; i += 8) await client().deleteCouponCode(codeId("MASS", `B${i}`));
      const listing = await listStateCodes(client(), "MASS", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows-then-single-walk", "too-many-missing", 8, 0]);
      assert.equal(listing.live.size, 300 - 38);
      await assertAgrees("MASS", listing, state);
    });

    it("checks pending codes by id: one created out of band exists, one never created does not", async () => {
      const base = await batch("PENDING");
      await seed("PENDING", [["P1", at(9000)]], false);
      const state = { ...base, pendingCodes: ["P1", "P2"] };
      const listing = await listStateCodes(client(), "PENDING", state, TUNING);
      assert.deepEqual(shape(listing), ["expiry-windows", null, 8, 2]);
      assert.deepEqual([listing.live.has("P1"), listing.live.has("P2")], [true, false]);
      await assertAgrees("PENDING", listing, state);
    });

    it("walks once when a code's id names another coupon's code", async () => {
      const base = await batch("AMB");
      // "AMB" holds no code "X-1", but coupon "AMB-X"'s code "1" has the same id, AMB-X-1.
      await seed("AMB-X", [["1", at(0)]]);
      const state = { ...base, codes: [...base.codes, "X-1"] };
      const listing = await listStateCodes(client(), "AMB", state, TUNING);
      assert.deepEqual(
        [listing.strategy, listing.reason],
        ["expiry-windows-then-single-walk", "ambiguous-id"],
      );
      assert.equal(listing.live.has("X-1"), false);
      await assertAgrees("AMB", listing, state);
    });

    it("walks several windows at once, never more than its concurrency", async () => {
      const state = await batch("PARALLEL");
      for (const concurrency of [4, 8]) {
        const observed = counting(client());
        const listing = await listStateCodes(observed.client, "PARALLEL", state, { ...TUNING, concurrency });
        assert.equal(listing.strategy, "expiry-windows");
        assert.equal(observed.maxInFlight(), concurrency);
        await assertAgrees("PARALLEL", listing, state);
      }
      const sequential = counting(client());
      await listCouponCodes(sequential.client, "PARALLEL");
      assert.equal(sequential.maxInFlight(), 1);
    });
  });
});
