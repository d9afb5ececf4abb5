import { strict as assert } from "assert";
import { compileCodeFilter } from "../../../../emulator/filterRules";
import type { CodeRecord } from "../../../../emulator/model";
import { formatOptional, parseDateTime } from "../../../../emulator/time";
import {
  createKlaviyoClient,
  klaviyoError,
  type Coupon,
  type CouponCode,
  type KlaviyoClient,
  type Page,
} from "../../../../provider/client";
import {
  DEFAULT_LISTING_TUNING,
  describeListing,
  listStateCodes,
  planListing,
  windowFilter,
  type ExpiryWindow,
  type ListingPlan,
} from "../../../../provider/batch/partitionedListing";
import { storedExpiryRange } from "../../../../provider/batch/outputs";

const RANGE = { earliest: "2027-04-20T10:00:00.250123+00:00", latest: "2027-04-20T11:30:00.999999+00:00" };

function windowsOf(plan: ListingPlan): ExpiryWindow[] {
  assert.equal(plan.strategy, "expiry-windows", JSON.stringify(plan));
  return plan.strategy === "expiry-windows" ? plan.windows : [];
}

/** Microseconds since the epoch of an ISO date-time (the emulator's precision). */
function micros(text: string): number {
  const value = parseDateTime(text);
  assert.ok(value !== undefined, text);
  return value;
}

/** Indexes of the windows containing `at` (microseconds), as a server comparing exactly would. */
function windowsHolding(windows: ExpiryWindow[], at: number): number[] {
  return windows.flatMap((w, i) => (micros(w.from) <= at && at < micros(w.until) ? [i] : []));
}

/**
 * A client over in-memory codes that selects with the emulator's own filter rules, so windows mean what
 * they mean on the wire. Calls to the listing and to by-id reads are counted.
 */
function memoryClient(records: CodeRecord[], pageSize = 10) {
  const calls = { listings: 0, byId: 0 };
  const resource = (r: CodeRecord): CouponCode => ({
    type: "coupon-code",
    id: r.id,
    attributes: { unique_code: r.uniqueCode, expires_at: formatOptional(r.expiresAt), status: r.status },
    relationships: { coupon: { data: { type: "coupon", id: r.couponId } } },
  });
  const offline = createKlaviyoClient({ apiKey: "pk_test", baseUrl: "http://127.0.0.1:9" });
  const client: KlaviyoClient = {
    ...offline,
    getCouponCodes(opts) {
      calls.listings++;
      const matches = compileCodeFilter(opts.filter, true).matches;
      const selected = records.filter(matches).map(resource);
      return (async function* (): AsyncGenerator<Page<CouponCode, Coupon>> {
        for (let i = 0; i < selected.length || i === 0; i += pageSize) {
          const more = i + pageSize < selected.length;
          yield { data: selected.slice(i, i + pageSize), nextCursor: more ? String(i + pageSize) : null };
        }
      })();
    },
    async getCouponCode(id) {
      calls.byId++;
      const found = records.find((r) => r.id === id);
      if (!found) {
        throw klaviyoError({
          status: 404,
          title: "Not found",
          detail: "no such code",
          method: "GET",
          path: "x",
        });
      }
      return { data: resource(found) };
    },
  };
  return { client, calls };
}

function record(couponId: string, code: string, expiresAt: string | null, seq: number): CodeRecord {
  return {
    id: `${couponId}-${code}`,
    seq,
    couponId,
    uniqueCode: code,
    expiresAt: expiresAt === null ? null : micros(expiresAt),
    status: "UNASSIGNED",
    profileId: null,
  };
}

describe("partitionedListing", () => {
  describe("planListing", () => {
    it("splits a large pool's range into contiguous half-open windows from earliest to just past latest", () => {
      const plan = planListing({ confirmedCodes: 100_000, unconfirmedCodes: 0, expiryRange: RANGE });
      const windows = windowsOf(plan);
      assert.equal(windows.length, DEFAULT_LISTING_TUNING.maxWindows);
      assert.equal(windows[0].from, "2027-04-20T10:00:00.250Z");
      assert.equal(windows.at(-1)?.until, "2027-04-20T11:30:01.000Z");
      for (let i = 0; i < windows.length; i++) {
        assert.ok(micros(windows[i].from) < micros(windows[i].until), `window ${i} is empty`);
        if (i > 0) assert.equal(windows[i].from, windows[i - 1].until, `gap or overlap before window ${i}`);
      }
    });

    it("puts every instant of the range, microseconds included, in exactly one window", () => {
      const windows = windowsOf(
        planListing({ confirmedCodes: 5_000, unconfirmedCodes: 0, expiryRange: RANGE }),
      );
      const [start, end] = [micros(RANGE.earliest), micros(RANGE.latest)];
      const instants = [
        start,
        end,
        ...windows.map((w) => micros(w.from)),
        ...windows.map((w) => micros(w.until) - 1),
      ];
      for (let i = 0; i < 200; i++) instants.push(start + Math.floor(((end - start) * i) / 199));
      for (const at of instants.filter((t) => t >= start && t <= end)) {
        assert.equal(windowsHolding(windows, at).length, 1, `instant ${at}`);
      }
      // The union is the range widened by less than a millisecond at each end (Date.parse drops microseconds).
      const [from, until] = [micros(windows[0].from), micros(windows[windows.length - 1].until)];
      assert.ok(start - from < 1000 && until - end <= 1000 && from <= start && until > end);
      assert.deepEqual(windowsHolding(windows, from - 1), [], "a window starts before the first");
      assert.deepEqual(windowsHolding(windows, until), [], "a window ends after the last");
    });

    it("takes the single walk when every code shares one expiry, to the microsecond or within one millisecond", () => {
      const same = { earliest: RANGE.earliest, latest: RANGE.earliest };
      const sameMs = { earliest: "2027-04-20T10:00:00.250100Z", latest: "2027-04-20T10:00:00.250900Z" };
      for (const expiryRange of [same, sameMs]) {
        const plan = planListing({ confirmedCodes: 100_000, unconfirmedCodes: 0, expiryRange });
        assert.deepEqual(plan, { strategy: "single-walk", reason: "one-expiry" });
      }
    });

    it("takes the single walk when the pool is smaller than two windows' worth of pages", () => {
      for (const confirmedCodes of [0, 1, 700]) {
        const plan = planListing({ confirmedCodes, unconfirmedCodes: 0, expiryRange: RANGE });
        assert.deepEqual(plan, { strategy: "single-walk", reason: "small-pool" });
      }
      assert.equal(
        windowsOf(planListing({ confirmedCodes: 701, unconfirmedCodes: 0, expiryRange: RANGE })).length,
        2,
      );
    });

    it("takes the single walk when the stored range is missing, unreadable or reversed", () => {
      const ranges = [
        null,
        { earliest: "soon", latest: RANGE.latest },
        { earliest: RANGE.latest, latest: RANGE.earliest },
        { earliest: RANGE.earliest, latest: "+275760-09-13T00:00:00.000Z" },
      ];
      for (const expiryRange of ranges) {
        const plan = planListing({ confirmedCodes: 100_000, unconfirmedCodes: 0, expiryRange });
        assert.deepEqual(
          plan,
          { strategy: "single-walk", reason: "no-expiry-range" },
          JSON.stringify(expiryRange),
        );
      }
    });

    it("takes the single walk when more codes are pending than may be checked by id", () => {
      const plan = planListing({ confirmedCodes: 100_000, unconfirmedCodes: 501, expiryRange: RANGE });
      assert.deepEqual(plan, { strategy: "single-walk", reason: "many-unconfirmed" });
      assert.equal(
        planListing({ confirmedCodes: 100_000, unconfirmedCodes: 500, expiryRange: RANGE }).strategy,
        "expiry-windows",
      );
    });

    it("makes no more windows than the range has milliseconds", () => {
      const narrow = { earliest: "2027-04-20T10:00:00.000Z", latest: "2027-04-20T10:00:00.002Z" };
      const windows = windowsOf(
        planListing({ confirmedCodes: 100_000, unconfirmedCodes: 0, expiryRange: narrow }),
      );
      assert.deepEqual(
        windows.map((w) => [w.from, w.until]),
        [
          ["2027-04-20T10:00:00.000Z", "2027-04-20T10:00:00.001Z"],
          ["2027-04-20T10:00:00.001Z", "2027-04-20T10:00:00.002Z"],
          ["2027-04-20T10:00:00.002Z", "2027-04-20T10:00:00.003Z"],
        ],
      );
    });

    it("allows one by-id check per page of the pool, at least 100 and at most 500", () => {
      const allowed = (confirmedCodes: number) => {
        const plan = planListing({ confirmedCodes, unconfirmedCodes: 0, expiryRange: RANGE });
        return plan.strategy === "expiry-windows" ? plan.maxByIdChecks : -1;
      };
      assert.deepEqual([allowed(800), allowed(25_000), allowed(100_000)], [100, 250, 500]);
    });
  });

  describe("windowFilter", () => {
    it("names the coupon, quoted, and both bounds of the window", () => {
      const text = windowFilter('Q"1', {
        from: "2027-01-01T00:00:00.000Z",
        until: "2027-02-01T00:00:00.000Z",
      });
      assert.equal(
        text,
        'and(equals(coupon.id,"Q\\"1"),greater-or-equal(expires_at,2027-01-01T00:00:00.000Z),' +
          "less-than(expires_at,2027-02-01T00:00:00.000Z))",
      );
    });
  });

  describe("listStateCodes", () => {
    const tuning = { pageSize: 10, minPagesPerWindow: 1, maxWindows: 4, minByIdChecks: 5, maxByIdChecks: 5 };
    const hours = (h: number) => `2027-04-20T${String(h).padStart(2, "0")}:00:00Z`;

    it("reports codes with a null expiry beside dated ones through the by-id check", async () => {
      const records = Array.from({ length: 40 }, (_, i) =>
        record("C", `K${i}`, i % 10 === 3 ? null : hours(i % 20), i),
      );
      const { client, calls } = memoryClient(records);
      const state = {
        codes: records.map((r) => r.uniqueCode),
        pendingCodes: [],
        expiryRange: { earliest: hours(0), latest: hours(19) },
      };
      const listing = await listStateCodes(client, "C", state, tuning);
      assert.deepEqual([listing.strategy, listing.windows, listing.byIdChecks], ["expiry-windows", 4, 4]);
      assert.equal(calls.byId, 4);
      for (const r of records)
        assert.equal(listing.live.get(r.uniqueCode)?.expiresAt, formatOptional(r.expiresAt));
    });

    it("falls back to the single walk when a by-id answer is another coupon's code", async () => {
      // Coupon "C" has no code "X-1"; coupon "C-X" has code "1", whose id is "C-X-1" as well.
      const records = [
        ...Array.from({ length: 40 }, (_, i) => record("C", `K${i}`, hours(i % 20), i)),
        record("C-X", "1", null, 40),
      ];
      const { client } = memoryClient(records);
      const codes = [...records.slice(0, 40).map((r) => r.uniqueCode), "X-1"];
      const listing = await listStateCodes(
        client,
        "C",
        { codes, pendingCodes: [], expiryRange: { earliest: hours(0), latest: hours(19) } },
        tuning,
      );
      assert.deepEqual(
        [listing.strategy, listing.reason],
        ["expiry-windows-then-single-walk", "ambiguous-id"],
      );
      assert.equal(listing.live.has("X-1"), false);
      assert.equal(listing.live.size, 40);
    });
  });

  describe("describeListing", () => {
    const base = { live: new Map(), windows: 0, byIdChecks: 0 };

    it("says nothing for a pool too small to split", () => {
      assert.equal(describeListing({ ...base, strategy: "single-walk", reason: "small-pool" }), undefined);
    });

    it("names the strategy, the windows and the by-id checks, never a code", () => {
      const live = new Map([["SECRET1", { status: "UNASSIGNED", expiresAt: null, profileId: null }]]);
      const lines = [
        describeListing({ live, windows: 32, byIdChecks: 3, strategy: "expiry-windows", reason: null }),
        describeListing({ ...base, live, strategy: "single-walk", reason: "one-expiry" }),
        describeListing({
          live,
          windows: 32,
          byIdChecks: 0,
          strategy: "expiry-windows-then-single-walk",
          reason: "too-many-missing",
        }),
      ];
      assert.deepEqual(lines, [
        "refresh listed the codes in 32 expiry windows and 3 codes checked by id",
        "refresh listed the codes in one walk (the codes share one expiry)",
        "refresh listed the codes in 32 expiry windows and 0 codes checked by id, then in one walk (too many codes were outside the windows to check by id)",
      ]);
    });
  });
});

describe("batch outputs", () => {
  describe("storedExpiryRange", () => {
    it("reads the stored range, and null for anything absent or damaged instead of failing", () => {
      const range = { earliest: "2027-01-01T00:00:00+00:00", latest: "2027-02-01T00:00:00+00:00" };
      assert.deepEqual(storedExpiryRange({ expiryRange: range, codes: "x" }), range);
      const damaged = [
        undefined,
        null,
        "x",
        {},
        { expiryRange: null },
        { expiryRange: { earliest: 1, latest: "x" } },
      ];
      for (const raw of damaged) assert.equal(storedExpiryRange(raw), null, JSON.stringify(raw));
    });
  });
});
