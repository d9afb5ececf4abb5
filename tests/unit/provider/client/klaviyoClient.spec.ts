import { strict as assert } from "assert";
import { createKlaviyoClient, filter, type KlaviyoClient, type Page } from "../../../../provider/client";
import { useTestEmulator } from "../../../../testkit/emulator";

async function collect<T>(pages: AsyncIterable<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    items.push(...page.data);
    count++;
  }
  return { items, pages: count };
}

describe("klaviyoClient", () => {
  // Emulator limits off and a faster client limiter: these tests are about behaviour, not pacing.
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });
  let client: KlaviyoClient;
  beforeEach(() => {
    const { url, apiKey } = emulator();
    client = createKlaviyoClient({ apiKey, baseUrl: url, rateLimit: { scale: 10 } });
  });

  async function uploadCodes(couponId: string, count: number, prefix = "C"): Promise<string> {
    const codes = Array.from({ length: count }, (_, i) => ({ couponId, unique_code: `${prefix}${i}` }));
    const job = await client.bulkCreateCouponCodes(codes);
    await emulator().control.waitForJobs();
    return job.id;
  }

  describe("createCoupon / getCoupon / updateCoupon / deleteCoupon", () => {
    it("round-trips a coupon through create, read, update and delete", async () => {
      const created = await client.createCoupon({
        external_id: "10OFF",
        description: "ten off",
        monitor_configuration: { low_balance_threshold: 5 },
      });
      assert.equal(created.id, "10OFF");
      assert.deepEqual(created.attributes, {
        external_id: "10OFF",
        description: "ten off",
        monitor_configuration: { low_balance_threshold: 5 },
      });
      assert.deepEqual((await client.getCoupon("10OFF")).attributes, created.attributes);
      const updated = await client.updateCoupon("10OFF", { description: null, monitor_configuration: null });
      assert.equal(updated.attributes.description, null);
      assert.equal(updated.attributes.monitor_configuration, null);
      await client.deleteCoupon("10OFF");
      await assert.rejects(client.getCoupon("10OFF"), { status: 404 });
    });

    it("reads only the requested fields when fields are given", async () => {
      await client.createCoupon({ external_id: "SPARSE", description: "d" });
      const coupon = await client.getCoupon("SPARSE", { fields: ["external_id"] });
      assert.equal(coupon.attributes.external_id, "SPARSE");
      assert.equal(coupon.attributes.description, null);
    });
  });

  describe("getCoupons", () => {
    it("follows cursors over more than 100 coupons", async () => {
      for (let i = 0; i < 120; i++)
        emulator().control.seedUiCoupon({ externalId: `UI${String(i).padStart(3, "0")}` });
      await client.createCoupon({ external_id: "API1" });
      const { items, pages } = await collect(client.getCoupons({ pageSize: 50 }));
      assert.equal(pages, 3);
      assert.equal(items.length, 121);
      assert.equal(new Set(items.map((c) => c.id)).size, 121);
    });

    it("ends with a null nextCursor", async () => {
      await client.createCoupon({ external_id: "ONE" });
      const pages: Page<unknown>[] = [];
      for await (const page of client.getCoupons()) pages.push(page);
      assert.equal(pages.length, 1);
      assert.equal(pages[0].nextCursor, null);
    });
  });

  describe("createCouponCode / getCouponCode / updateCouponCode / deleteCouponCode", () => {
    it("round-trips a coupon code", async () => {
      await client.createCoupon({ external_id: "CODES" });
      const code = await client.createCouponCode({
        couponId: "CODES",
        unique_code: "ABC123",
        expires_at: "2031-01-01T00:00:00+00:00",
      });
      assert.equal(code.type, "coupon-code");
      assert.equal(code.attributes.unique_code, "ABC123");
      assert.equal(code.attributes.status, "UNASSIGNED");
      assert.equal(code.relationships?.coupon?.data?.id, "CODES");
      assert.equal(Date.parse(code.attributes.expires_at ?? ""), Date.parse("2031-01-01T00:00:00Z"));

      const read = await client.getCouponCode(code.id, { include: "coupon" });
      assert.equal(read.data.id, code.id);
      assert.deepEqual(
        read.included?.map((c) => c.id),
        ["CODES"],
      );
      assert.equal((await client.getCouponCode(code.id)).included, undefined);

      const updated = await client.updateCouponCode(code.id, { expires_at: "2032-02-02T00:00:00+00:00" });
      assert.equal(Date.parse(updated.attributes.expires_at ?? ""), Date.parse("2032-02-02T00:00:00Z"));

      const deleting = await client.updateCouponCode(code.id, { status: "DELETING" });
      assert.equal(deleting.attributes.status, "DELETING");

      await client.deleteCouponCode(code.id);
      await assert.rejects(client.getCouponCode(code.id), { status: 404 });
    });
  });

  describe("getCouponCodes", () => {
    it("pages through more than 100 codes of a coupon, with included coupons", async () => {
      await client.createCoupon({ external_id: "MANY" });
      await client.createCoupon({ external_id: "OTHER" });
      await uploadCodes("MANY", 250);
      await uploadCodes("OTHER", 3, "O");
      const pages: Page<{ id: string }>[] = [];
      for await (const page of client.getCouponCodes({
        filter: filter.equals("coupon.id", "MANY"),
        include: "coupon",
      })) {
        pages.push(page);
      }
      assert.deepEqual(
        pages.map((p) => p.data.length),
        [100, 100, 50],
      );
      assert.deepEqual(
        pages.map((p) => p.nextCursor === null),
        [false, false, true],
      );
      assert.equal(new Set(pages.flatMap((p) => p.data.map((c) => c.id))).size, 250);
      assert.deepEqual(
        (pages[0].included as { id: string }[]).map((c) => c.id),
        ["MANY"],
      );
    });

    it("combines conditions with and(...) and any(...)", async () => {
      await client.createCoupon({ external_id: "A1" });
      await client.createCoupon({ external_id: "A2" });
      await uploadCodes("A1", 3, "X");
      await uploadCodes("A2", 2, "Y");
      emulator().control.markCodeUsed("A1-X0");
      const used = await collect(
        client.getCouponCodes({
          filter: filter.and(filter.any("coupon.id", ["A1", "A2"]), filter.equals("status", "USED")),
          fields: { "coupon-code": ["unique_code", "status"] },
        }),
      );
      assert.deepEqual(
        used.items.map((c) => c.id),
        ["A1-X0"],
      );
      const all = await collect(
        client.getCouponCodes({ filter: filter.any("coupon.id", ["A1", "A2"]), pageSize: 2 }),
      );
      assert.equal(all.items.length, 5);
      assert.equal(all.pages, 3);
    });

    it("finds exactly the coupon whose id holds quotes, commas and parentheses", async () => {
      const tricky = 'a"b,c)';
      await client.createCoupon({ external_id: tricky });
      await client.createCoupon({ external_id: "a" });
      await client.createCoupon({ external_id: "b,c)" });
      await client.createCouponCode({ couponId: tricky, unique_code: "T1" });
      await client.createCouponCode({ couponId: "a", unique_code: "T2" });
      await client.createCouponCode({ couponId: "b,c)", unique_code: "T3" });
      const { items } = await collect(client.getCouponCodes({ filter: filter.equals("coupon.id", tricky) }));
      assert.deepEqual(
        items.map((c) => c.attributes.unique_code),
        ["T1"],
      );
      assert.equal(items[0].relationships?.coupon?.data?.id, tricky);
      assert.equal((await client.getCoupon(tricky)).id, tricky);
    });
  });

  describe("bulkCreateCouponCodes / getBulkCreateCouponCodesJob / getBulkCreateCouponCodeJobs", () => {
    it("submits a job, reads it with its codes and lists it", async () => {
      await client.createCoupon({ external_id: "BULK" });
      const job = await client.bulkCreateCouponCodes([
        { couponId: "BULK", unique_code: "B1" },
        { couponId: "BULK", unique_code: "B2", expires_at: "2030-01-01T00:00:00+00:00" },
      ]);
      assert.equal(job.type, "coupon-code-bulk-create-job");
      assert.equal(job.attributes.total_count, 2);
      await emulator().control.waitForJobs();
      const done = await client.getBulkCreateCouponCodesJob(job.id, { includeCodes: true });
      assert.equal(done.data.attributes.status, "complete");
      assert.equal(done.data.attributes.completed_count, 2);
      assert.deepEqual(done.included?.map((c) => c.attributes.unique_code).sort(), ["B1", "B2"]);
      assert.equal((await client.getBulkCreateCouponCodesJob(job.id)).included, undefined);

      const listed = await collect(client.getBulkCreateCouponCodeJobs());
      assert.deepEqual(
        listed.items.map((j) => j.id),
        [job.id],
      );
      const complete = await collect(
        client.getBulkCreateCouponCodeJobs({ filter: filter.equals("status", "complete") }),
      );
      assert.equal(complete.items.length, 1);
      const queued = await collect(
        client.getBulkCreateCouponCodeJobs({ filter: filter.equals("status", "queued") }),
      );
      assert.equal(queued.items.length, 0);
    });

    it("reports per-code failures of a job", async () => {
      await client.createCoupon({ external_id: "FAILS" });
      emulator().control.setJobOutcome({ failCodes: ["F2"] });
      const job = await client.bulkCreateCouponCodes([
        { couponId: "FAILS", unique_code: "F1" },
        { couponId: "FAILS", unique_code: "F2" },
      ]);
      await emulator().control.waitForJobs();
      const { data } = await client.getBulkCreateCouponCodesJob(job.id);
      assert.equal(data.attributes.failed_count, 1);
      assert.equal(data.attributes.errors?.length, 1);
      assert.equal(typeof data.attributes.errors?.[0].detail, "string");
    });

    it("refuses an empty job and more than 1000 codes without sending anything", async () => {
      emulator().control.resetRequestLog();
      await assert.rejects(client.bulkCreateCouponCodes([]), RangeError);
      const codes = Array.from({ length: 1001 }, (_, i) => ({ couponId: "X", unique_code: `U${i}` }));
      await assert.rejects(client.bulkCreateCouponCodes(codes), RangeError);
      assert.equal(emulator().control.requestLog().length, 0);
    });
  });

  describe("relationship endpoints", () => {
    it("reads a code's coupon and coupon id, and a coupon's codes and code ids", async () => {
      await client.createCoupon({ external_id: "REL", description: "rel" });
      await uploadCodes("REL", 130, "R");
      const coupon = await client.getCouponForCouponCode("REL-R7");
      assert.equal(coupon.id, "REL");
      assert.equal(coupon.attributes.description, "rel");
      assert.equal(await client.getCouponIdForCouponCode("REL-R7"), "REL");

      const codes = await collect(
        client.getCouponCodesForCoupon("REL", { pageSize: 100, fields: ["unique_code"] }),
      );
      assert.equal(codes.items.length, 130);
      assert.equal(codes.pages, 2);
      const ids = await collect(client.getCouponCodeIdsForCoupon("REL", { pageSize: 60 }));
      assert.equal(ids.pages, 3);
      assert.deepEqual(ids.items.map((c) => c.id).sort(), codes.items.map((c) => c.id).sort());
      assert.ok(ids.items.every((c) => c.type === "coupon-code"));

      const future = await collect(
        client.getCouponCodeIdsForCoupon("REL", {
          filter: filter.lessThan("expires_at", new Date(Date.now() + 86_400_000)),
        }),
      );
      assert.equal(future.items.length, 0);
      const later = await collect(
        client.getCouponCodesForCoupon("REL", { filter: filter.greaterThan("expires_at", new Date()) }),
      );
      assert.equal(later.items.length, 130);
    });
  });
});
