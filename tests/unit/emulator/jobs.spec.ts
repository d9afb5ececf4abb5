import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeData, codeItems, couponBody, jobBody, waitForJob } from "../../../testkit/emulatorHttp";
import { sleep } from "../../../testkit/sleep";

const JOBS = "/api/coupon-code-bulk-create-jobs";

describe("emulator bulk create jobs", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  async function coupons(...ids: string[]): Promise<void> {
    for (const id of ids) await call(emulator(), "POST", "/api/coupons", { body: couponBody(id) });
  }

  async function submit(items: unknown[]): Promise<string> {
    const result = await call(emulator(), "POST", JOBS, { body: jobBody(items) });
    assert.equal(result.status, 202, JSON.stringify(result.body));
    return result.body.data.id;
  }

  async function status(jobId: string): Promise<string> {
    return (await call(emulator(), "GET", `${JOBS}/${jobId}`)).body.data.attributes.status;
  }

  describe("POST", () => {
    it("answers 202 with a queued job whose id looks like a ULID", async () => {
      await coupons("A");
      const result = await call(emulator(), "POST", JOBS, { body: jobBody(codeItems("A", 3)) });
      assert.equal(result.status, 202);
      assert.match(result.body.data.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.deepEqual(
        { ...result.body.data.attributes, created_at: undefined, expires_at: undefined },
        {
          status: "queued",
          created_at: undefined,
          total_count: 3,
          completed_count: 0,
          failed_count: 0,
          completed_at: null,
          errors: [],
          expires_at: undefined,
        },
      );
    });

    it("answers 400 for 1001 codes in one job", async () => {
      await coupons("A");
      const result = await call(emulator(), "POST", JOBS, { body: jobBody(codeItems("A", 1001)) });
      assert.equal(result.status, 400);
      assert.match(result.body.errors[0].detail, /1000/);
      assert.deepEqual(result.body.errors[0].source, { pointer: "/data/attributes/coupon-codes/data" });
      assert.equal(
        (await call(emulator(), "POST", JOBS, { body: jobBody(codeItems("A", 1000)) })).status,
        202,
      );
    });

    it("answers 400 naming the limit for the 101st queued job", async () => {
      const emu = emulator();
      await coupons("A");
      emu.control.configure({ jobs: { queuedMs: 60_000 } });
      try {
        for (let i = 0; i < 100; i++) await submit(codeItems("A", 1, `J${i}_`));
        const result = await call(emu, "POST", JOBS, { body: jobBody(codeItems("A", 1, "LAST")) });
        assert.equal(result.status, 400);
        assert.match(result.body.errors[0].detail, /jobs queued at once .* 100/);
      } finally {
        emu.control.configure({ jobs: { queuedMs: 5 } });
      }
    });

    const shapes: Array<[string, unknown, string]> = [
      ["a wrong type", { data: { type: "coupon-code", attributes: {} } }, "/data/type"],
      [
        "no coupon-codes",
        { data: { type: "coupon-code-bulk-create-job", attributes: {} } },
        "/data/attributes/coupon-codes",
      ],
      ["a non-array data", jobBody({} as unknown as unknown[]), "/data/attributes/coupon-codes/data"],
      ["an empty list", jobBody([]), "/data/attributes/coupon-codes/data"],
      ["a non-object item", jobBody([codeData("A", "X"), "nope"]), "/data/attributes/coupon-codes/data/1"],
    ];
    for (const [name, body, pointer] of shapes) {
      it(`answers 400 synchronously pointing at ${pointer} for ${name}`, async () => {
        const result = await call(emulator(), "POST", JOBS, { body });
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { pointer });
      });
    }
  });

  describe("life cycle", () => {
    it("moves queued -> processing -> complete following the latency model and concurrency", async () => {
      const emu = emulator();
      await coupons("A");
      emu.control.configure({
        jobs: { queuedMs: 200, processingMsPerJob: 400, processingMsPerCode: 0, concurrency: 1 },
      });
      try {
        const first = await submit(codeItems("A", 2, "F"));
        const second = await submit(codeItems("A", 2, "S"));
        await sleep(100);
        assert.deepEqual([await status(first), await status(second)], ["queued", "queued"]);
        await sleep(300);
        assert.deepEqual([await status(first), await status(second)], ["processing", "queued"]);
        await sleep(400);
        assert.deepEqual([await status(first), await status(second)], ["complete", "processing"]);
        const done = await waitForJob(emu, second);
        assert.equal(done.data.attributes.completed_count, 2);
        assert.ok(
          Date.parse(done.data.attributes.completed_at) >= Date.parse(done.data.attributes.created_at) + 600,
        );
      } finally {
        emu.control.configure({
          jobs: { queuedMs: 5, processingMsPerJob: 10, processingMsPerCode: 0.01, concurrency: 10 },
        });
      }
    });

    it("adds processingMsPerCode for every code in the job", async () => {
      const emu = emulator();
      await coupons("A");
      emu.control.configure({ jobs: { queuedMs: 0, processingMsPerJob: 0, processingMsPerCode: 1 } });
      try {
        const job = await submit(codeItems("A", 400));
        await sleep(150);
        assert.equal(await status(job), "processing");
        await emu.control.waitForJobs();
        assert.equal(await status(job), "complete");
      } finally {
        emu.control.configure({ jobs: { queuedMs: 5, processingMsPerJob: 10, processingMsPerCode: 0.01 } });
      }
    });

    it("creates codes for several coupons and links them under relationships.coupon-codes", async () => {
      await coupons("A", "B");
      const job = await submit([codeData("A", "1"), codeData("B", "1", "2030-01-01T00:00:00Z")]);
      const done = await waitForJob(emulator(), job);
      assert.deepEqual(
        done.data.relationships["coupon-codes"].data.map((item: any) => item.id),
        ["A-1", "B-1"],
      );
      const code = await call(emulator(), "GET", "/api/coupon-codes/B-1");
      assert.equal(code.body.data.attributes.expires_at, "2030-01-01T00:00:00+00:00");
    });
  });

  describe("per-code failures", () => {
    it("reports each failing item in errors[] with a pointer and counts", async () => {
      await coupons("A");
      await call(emulator(), "POST", "/api/coupon-codes", { body: { data: codeData("A", "EXISTING") } });
      const items = [
        codeData("A", "OK1"),
        codeData("A", "EXISTING"),
        codeData("A", "TWICE"),
        codeData("A", "TWICE"),
        codeData("NOPE", "X"),
        {
          type: "coupon-code",
          attributes: {},
          relationships: { coupon: { data: { type: "coupon", id: "A" } } },
        },
        codeData("A", "BADDATE", "31/12/2030"),
        { ...codeData("A", "TYPE"), type: "coupon" },
        codeData("A", "OK2"),
      ];
      const done = await waitForJob(emulator(), await submit(items));
      const { attributes } = done.data;
      assert.equal(attributes.total_count, 9);
      assert.equal(attributes.completed_count, 3);
      assert.equal(attributes.failed_count, 6);
      const base = "/data/attributes/coupon-codes/data";
      assert.deepEqual(
        attributes.errors.map((error: any) => [error.code, error.source.pointer]),
        [
          ["duplicate_coupon_code", `${base}/1/attributes/unique_code`],
          ["duplicate_coupon_code", `${base}/3/attributes/unique_code`],
          ["not_found", `${base}/4/relationships/coupon/data/id`],
          ["invalid", `${base}/5/attributes/unique_code`],
          ["invalid", `${base}/6/attributes/expires_at`],
          ["invalid", `${base}/7/type`],
        ],
      );
      assert.match(attributes.errors[0].detail, /EXISTING/);
      assert.match(attributes.errors[1].detail, /more than once in this job/);
      assert.deepEqual(
        done.data.relationships["coupon-codes"].data.map((item: any) => item.id),
        ["A-OK1", "A-TWICE", "A-OK2"],
      );
    });
  });

  describe("forced outcomes", () => {
    it("cancels the next job without creating codes by default", async () => {
      await coupons("A");
      emulator().control.setJobOutcome({ cancel: true });
      const done = await waitForJob(emulator(), await submit(codeItems("A", 5)));
      assert.equal(done.data.attributes.status, "cancelled");
      assert.equal(done.data.attributes.completed_count, 0);
      assert.ok(done.data.attributes.completed_at);
      assert.equal(emulator().control.counts().codes, 0);
      const next = await waitForJob(emulator(), await submit(codeItems("A", 1, "N")));
      assert.equal(next.data.attributes.status, "complete");
    });

    it("cancels after cancelAfter items for the next N jobs", async () => {
      await coupons("A");
      emulator().control.setJobOutcome({ jobs: 2, cancel: true, cancelAfter: 2 });
      for (const prefix of ["X", "Y"]) {
        const done = await waitForJob(emulator(), await submit(codeItems("A", 5, prefix)));
        assert.equal(done.data.attributes.status, "cancelled");
        assert.equal(done.data.attributes.completed_count, 2);
      }
      assert.equal(emulator().control.counts().codes, 4);
    });

    it("fails a fraction of items and named codes without creating them", async () => {
      await coupons("A");
      emulator().control.setJobOutcome({ failFraction: 0.5, failCodes: ["CODE0"] });
      const done = await waitForJob(emulator(), await submit(codeItems("A", 6)));
      const { attributes } = done.data;
      assert.equal(attributes.status, "complete");
      assert.equal(attributes.failed_count, 4);
      assert.deepEqual(
        attributes.errors.map((error: any) => error.source.pointer.split("/").pop()),
        ["0", "1", "3", "5"],
      );
      assert.equal((await call(emulator(), "GET", "/api/coupon-codes/A-CODE1")).status, 404);
      assert.equal((await call(emulator(), "GET", "/api/coupon-codes/A-CODE2")).status, 200);
    });
  });

  describe("GET", () => {
    it("answers 404 for an unknown job and filters the list by status", async () => {
      await coupons("A");
      assert.equal((await call(emulator(), "GET", `${JOBS}/01GSQPBF74KQ5YTDEPP41T1BZH`)).status, 404);
      const job = await submit(codeItems("A", 1));
      await emulator().control.waitForJobs();
      const complete = await call(emulator(), "GET", `${JOBS}?filter=equals(status,"complete")`);
      assert.deepEqual(
        complete.body.data.map((item: any) => item.id),
        [job],
      );
      const queued = await call(emulator(), "GET", `${JOBS}?filter=equals(status,'queued')`);
      assert.deepEqual(queued.body.data, []);
    });
  });
});
