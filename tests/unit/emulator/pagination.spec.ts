import { strict as assert } from "assert";
import { candidates } from "../../../emulator/handlers/couponCodes";
import { compileCodeFilter } from "../../../emulator/filterRules";
import { OrderedIndex } from "../../../emulator/orderedIndex";
import { decodeCursor, takePage } from "../../../emulator/pagination";
import { CouponStore } from "../../../emulator/store";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeItems, couponBody, ids, jobBody, waitForJob } from "../../../testkit/emulatorHttp";

function medianMs(run: () => void, rounds = 15): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

describe("pagination", () => {
  describe("OrderedIndex", () => {
    it("resumes after a sequence and skips removed entries", () => {
      const index = new OrderedIndex<string>();
      for (let i = 1; i <= 10; i++) index.push(i * 2, `v${i}`);
      for (let i = 1; i <= 10; i += 2) index.remove(i * 2);
      assert.deepEqual(
        [...index.entriesAfter(7)].map((entry) => entry.value),
        ["v4", "v6", "v8", "v10"],
      );
      assert.equal(index.size, 5);
    });

    it("keeps order through compaction after many deletions", () => {
      const index = new OrderedIndex<number>();
      for (let i = 0; i < 1000; i++) index.push(i, i);
      for (let i = 0; i < 1000; i++) if (i % 10 !== 0) index.remove(i);
      assert.deepEqual([...index.valuesInOrder()].slice(0, 3), [0, 10, 20]);
      assert.deepEqual(
        [...index.entriesAfter(985)].map((entry) => entry.value),
        [990],
      );
    });
  });

  describe("entriesAfter", () => {
    it("visits every entry once when the consumer removes entries while iterating, compaction included", () => {
      const index = new OrderedIndex<number>();
      for (let i = 0; i < 1000; i++) index.push(i, i);
      const seen: number[] = [];
      for (const entry of index.entriesAfter(-1)) {
        seen.push(entry.value);
        index.remove(entry.seq);
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 1000 }, (_, i) => i),
      );
      assert.equal(index.size, 0);
    });
  });

  describe("takePage", () => {
    it("costs O(page size) on a coupon with 100,000 codes, wherever the cursor is", () => {
      const store = new CouponStore();
      store.createCoupon({ id: "BIG", description: null, monitorConfiguration: null }, 500);
      for (let i = 0; i < 100_000; i++)
        store.createCode({ couponId: "BIG", uniqueCode: `C${i}`, expiresAt: null }, 0);
      const filter = compileCodeFilter(`equals(coupon.id,"BIG")`, true);
      let pulled = 0;
      const counted = (after: number) => ({
        *[Symbol.iterator]() {
          for (const entry of candidates(store, filter, after)) {
            pulled++;
            yield entry;
          }
        },
      });
      let after = -1;
      let pages = 0;
      let seen = 0;
      for (;;) {
        pulled = 0;
        const page = takePage(counted(after), 100, filter.matches);
        assert.ok(pulled <= 101, `page ${pages} pulled ${pulled} entries`);
        seen += page.items.length;
        pages++;
        if (!page.nextCursor) break;
        after = decodeCursor(page.nextCursor);
      }
      assert.equal(seen, 100_000);
      assert.equal(pages, 1000);
      const first = medianMs(() => takePage(candidates(store, filter, -1), 100));
      const last = medianMs(() => takePage(candidates(store, filter, after - 1), 100));
      assert.ok(last < first * 20 + 1, `last page ${last} ms vs first page ${first} ms`);
    });
  });
});

describe("emulator pagination", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  async function couponWithCodes(id: string, count: number): Promise<void> {
    const emu = emulator();
    await call(emu, "POST", "/api/coupons", { body: couponBody(id) });
    const job = await call(emu, "POST", "/api/coupon-code-bulk-create-jobs", {
      body: jobBody(codeItems(id, count)),
    });
    await waitForJob(emu, job.body.data.id);
  }

  async function walk(path: string): Promise<{ ids: string[]; pages: number }> {
    const all: string[] = [];
    let next: string | undefined = emulator().url + path;
    let pages = 0;
    while (next) {
      const result = await call(emulator(), "GET", next.slice(emulator().url.length));
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.ok(result.body.links.self.startsWith(emulator().url));
      all.push(...ids(result.body));
      next = result.body.links.next;
      pages++;
    }
    return { ids: all, pages };
  }

  describe("collections", () => {
    it("pages over 250 codes in insertion order with links.next only while more exist", async () => {
      await couponWithCodes("P", 250);
      const expected = Array.from({ length: 250 }, (_, i) => `P-CODE${i}`);
      const byDefault = await walk(`/api/coupon-codes?filter=equals(coupon.id,"P")`);
      assert.deepEqual(byDefault, { ids: expected, pages: 3 });
      assert.deepEqual(await walk("/api/coupons/P/coupon-codes?page[size]=100"), { ids: expected, pages: 3 });
      assert.deepEqual(await walk("/api/coupons/P/relationships/coupon-codes?page[size]=50"), {
        ids: expected,
        pages: 5,
      });
    });

    it("stays stable when items are deleted between pages", async () => {
      await couponWithCodes("S", 10);
      const first = await call(emulator(), "GET", "/api/coupons/S/coupon-codes?page[size]=4");
      await call(emulator(), "DELETE", "/api/coupon-codes/S-CODE2");
      await call(emulator(), "DELETE", "/api/coupon-codes/S-CODE5");
      const second = await call(emulator(), "GET", first.body.links.next.slice(emulator().url.length));
      assert.deepEqual(ids(second.body), ["S-CODE4", "S-CODE6", "S-CODE7", "S-CODE8"]);
    });

    it("pages coupons and jobs", async () => {
      const emu = emulator();
      for (let i = 0; i < 5; i++) await call(emu, "POST", "/api/coupons", { body: couponBody(`K${i}`) });
      assert.deepEqual((await walk("/api/coupons?page[size]=2")).pages, 3);
      emu.control.configure({ limits: { maxActiveJobs: 200 } });
      try {
        for (let i = 0; i < 101; i++) {
          await call(emu, "POST", "/api/coupon-code-bulk-create-jobs", {
            body: jobBody(codeItems("K0", 1, `J${i}_`)),
          });
        }
        const jobs = await walk("/api/coupon-code-bulk-create-jobs");
        assert.equal(jobs.ids.length, 101);
        assert.equal(jobs.pages, 2);
        await emu.control.waitForJobs();
      } finally {
        emu.control.configure({ limits: { maxActiveJobs: 100 } });
      }
    });
  });

  describe("page parameters", () => {
    for (const size of ["0", "101", "-1", "abc", "1.5"]) {
      it(`answers 400 on parameter page[size] for ${size}`, async () => {
        const result = await call(emulator(), "GET", `/api/coupons?page[size]=${size}`);
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { parameter: "page[size]" });
      });
    }

    it("answers 400 for page[size] on jobs, which the spec does not allow", async () => {
      const result = await call(emulator(), "GET", "/api/coupon-code-bulk-create-jobs?page[size]=10");
      assert.deepEqual(result.body.errors[0].source, { parameter: "page[size]" });
    });

    it("answers 400 on parameter page[cursor] for a forged cursor", async () => {
      const result = await call(emulator(), "GET", "/api/coupons?page[cursor]=bogus");
      assert.deepEqual(result.body.errors[0].source, { parameter: "page[cursor]" });
    });

    it("accepts page sizes 1 and 100", async () => {
      await couponWithCodes("E", 3);
      assert.equal(
        ids((await call(emulator(), "GET", "/api/coupons/E/coupon-codes?page[size]=1")).body).length,
        1,
      );
      assert.equal(
        ids((await call(emulator(), "GET", "/api/coupons/E/coupon-codes?page[size]=100")).body).length,
        3,
      );
    });
  });

  describe("sparse fieldsets and include", () => {
    it("returns only the requested attributes", async () => {
      await couponWithCodes("F", 1);
      const coupon = await call(emulator(), "GET", "/api/coupons/F?fields[coupon]=description");
      assert.deepEqual(coupon.body.data.attributes, { description: null });
      const code = await call(
        emulator(),
        "GET",
        "/api/coupon-codes/F-CODE0?fields[coupon-code]=status,unique_code",
      );
      assert.deepEqual(Object.keys(code.body.data.attributes), ["unique_code", "status"]);
      const jobs = await call(
        emulator(),
        "GET",
        "/api/coupon-code-bulk-create-jobs?fields[coupon-code-bulk-create-job]=status",
      );
      assert.deepEqual(jobs.body.data[0].attributes, { status: "complete" });
    });

    it("applies fields to included resources", async () => {
      await couponWithCodes("F", 1);
      const result = await call(
        emulator(),
        "GET",
        `/api/coupon-codes?filter=equals(coupon.id,"F")&include=coupon&fields[coupon]=external_id&fields[coupon-code]=status`,
      );
      assert.deepEqual(result.body.included[0].attributes, { external_id: "F" });
      assert.deepEqual(result.body.data[0].attributes, { status: "UNASSIGNED" });
    });

    const invalid: Array<[string, string]> = [
      ["/api/coupons?fields[coupon]=bogus", "fields[coupon]"],
      ["/api/coupons?fields[coupon-code]=status", "fields[coupon-code]"],
      ["/api/coupons/F?include=coupon-codes", "include"],
      ["/api/coupon-codes/F-CODE0?include=profile", "include"],
      [
        "/api/coupon-code-bulk-create-jobs?fields[coupon-code-bulk-create-job]=code",
        "fields[coupon-code-bulk-create-job]",
      ],
      ["/api/coupons?sort=id", "sort"],
    ];
    for (const [path, parameter] of invalid) {
      it(`answers 400 on parameter ${parameter} for ${path}`, async () => {
        await couponWithCodes("F", 1);
        const result = await call(emulator(), "GET", path);
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { parameter });
      });
    }
  });
});
