import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, couponBody, ids } from "../../../testkit/emulatorHttp";

// Refresh's partitioned listing (provider/batch/partitionedListing.ts) relies on these filters meaning
// what the contract says (section 4, "Filters"): coupon.id, status and expires_at comparisons combined.
describe("emulator expiry windows", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });
  const EXPIRIES = [
    "2030-01-01T00:00:00Z",
    "2030-01-01T00:00:00.000001Z",
    "2030-01-01T00:00:00.999999Z",
    "2030-01-01T00:00:01Z",
    "2030-01-02T00:00:00Z",
  ];

  async function seed(): Promise<void> {
    const emu = emulator();
    for (const coupon of ["A", "B"]) await call(emu, "POST", "/api/coupons", { body: couponBody(coupon) });
    for (const [i, expiry] of EXPIRIES.entries()) {
      for (const coupon of ["A", "B"]) {
        const result = await call(emu, "POST", "/api/coupon-codes", {
          body: codeBody(coupon, `C${i}`, expiry),
        });
        assert.equal(result.status, 200, JSON.stringify(result.body));
      }
    }
    emu.control.assignCode("A-C1", "P1");
  }

  const list = async (filter: string) => {
    const result = await call(emulator(), "GET", `/api/coupon-codes?filter=${encodeURIComponent(filter)}`);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return ids(result.body);
  };

  describe("GET /api/coupon-codes", () => {
    it("returns each code of the coupon from exactly one of contiguous half-open windows", async () => {
      await seed();
      const bounds = ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000001Z", "2030-01-01T00:00:01Z"];
      const windows = [
        ...bounds
          .slice(1)
          .map((until, i) => `greater-or-equal(expires_at,${bounds[i]}),less-than(expires_at,${until})`),
        `greater-or-equal(expires_at,${bounds[bounds.length - 1]}),less-or-equal(expires_at,2030-01-02T00:00:00Z)`,
      ];
      const seen: string[][] = [];
      for (const window of windows) seen.push(await list(`and(equals(coupon.id,"A"),${window})`));
      assert.deepEqual(seen, [["A-C0"], ["A-C1", "A-C2"], ["A-C3", "A-C4"]]);
    });

    it("combines coupon.id, status and both expires_at bounds", async () => {
      await seed();
      const window =
        "greater-than(expires_at,2030-01-01T00:00:00Z),less-than(expires_at,2030-01-01T00:00:01Z)";
      assert.deepEqual(await list(`and(equals(coupon.id,"A"),equals(status,"UNASSIGNED"),${window})`), [
        "A-C2",
      ]);
      assert.deepEqual(
        await list(`and(equals(coupon.id,"A"),equals(status,"ASSIGNED_TO_PROFILE"),${window})`),
        ["A-C1"],
      );
      assert.deepEqual(await list(`equals(coupon.id,"B"),equals(status,"UNASSIGNED"),${window}`), [
        "B-C1",
        "B-C2",
      ]);
    });
  });
});
