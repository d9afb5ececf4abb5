import { strict as assert } from "assert";
import { createKlaviyoClient } from "../../../provider/client";
import {
  countStatusesByListing,
  formatAvailability,
  formatOutputs,
  statusCountsFromOutputs,
} from "../../../scripts/report";
import { useTestEmulator } from "../../../testkit/emulator";

describe("scripts/report", () => {
  describe("formatOutputs", () => {
    it("lists outputs sorted by name as JSON and masks secrets", () => {
      const text = formatOutputs({
        statusCounts: { value: { UNASSIGNED: 8 }, secret: false },
        couponId: { value: "SPRING10", secret: false },
        codes: { value: ["A1"], secret: true },
      });
      assert.equal(
        text,
        [
          "Stack outputs:",
          "  codes         [secret]",
          '  couponId      "SPRING10"',
          '  statusCounts  {"UNASSIGNED":8}',
        ].join("\n"),
      );
    });

    it("says so when there are no outputs", () => {
      assert.equal(formatOutputs({}), "Stack outputs: none");
    });
  });

  describe("statusCountsFromOutputs", () => {
    it("returns the statusCounts map when it holds numbers", () => {
      assert.deepEqual(statusCountsFromOutputs({ statusCounts: { value: { USED: 1 }, secret: false } }), {
        USED: 1,
      });
    });

    it("returns undefined when the output is missing or not a map of numbers", () => {
      assert.equal(statusCountsFromOutputs({}), undefined);
      assert.equal(statusCountsFromOutputs({ statusCounts: { value: [1], secret: false } }), undefined);
      assert.equal(
        statusCountsFromOutputs({ statusCounts: { value: { A: "1" }, secret: false } }),
        undefined,
      );
    });
  });

  describe("formatAvailability", () => {
    it("shows the main statuses even at zero, other statuses after them, and the total", () => {
      const text = formatAvailability("Codes:", { UNASSIGNED: 6, USED: 1, DELETING: 1 });
      assert.equal(
        text,
        [
          "Codes:",
          "  STATUS               CODES",
          "  UNASSIGNED               6",
          "  ASSIGNED_TO_PROFILE      0",
          "  USED                     1",
          "  DELETING                 1",
          "  -------------------  -----",
          "  total                    8",
        ].join("\n"),
      );
    });
  });

  describe("countStatusesByListing", () => {
    const emulator = useTestEmulator();

    it("counts a coupon's codes per status by listing them", async () => {
      const client = createKlaviyoClient({ apiKey: emulator().apiKey, baseUrl: emulator().url });
      await client.createCoupon({ external_id: "COUNTED" });
      await client.bulkCreateCouponCodes(
        ["C1", "C2", "C3"].map((c) => ({ couponId: "COUNTED", unique_code: c })),
      );
      await emulator().control.waitForJobs();
      emulator().control.assignCode("COUNTED-C1", "p1");
      emulator().control.markCodeUsed("COUNTED-C2");
      assert.deepEqual(await countStatusesByListing(client, "COUNTED"), {
        ASSIGNED_TO_PROFILE: 1,
        USED: 1,
        UNASSIGNED: 1,
      });
    });
  });
});
