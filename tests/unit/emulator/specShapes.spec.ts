import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { specSkipReason, specValidator, validateResponse } from "../../../testkit/specValidator";
import { call, codeBody, codeData, couponBody, jobBody, waitForJob } from "../../../testkit/emulatorHttp";

const skipReason = specSkipReason();

(skipReason ? describe.skip : describe)(
  `emulator responses${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    const emulator = useTestEmulator({ rateLimits: { enabled: false } });
    const seen = new Set<string>();

    async function seed(): Promise<string> {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("10OFF", { description: "10% off" }) });
      await call(emu, "POST", "/api/coupon-codes", { body: codeBody("10OFF", "ASD325") });
      const job = await call(emu, "POST", "/api/coupon-code-bulk-create-jobs", {
        body: jobBody([codeData("10OFF", "JOB1"), codeData("10OFF", "ASD325")]),
      });
      await waitForJob(emu, job.body.data.id);
      emu.control.assignCode("10OFF-ASD325", "01PROFILE");
      return job.body.data.id;
    }

    function record(operationId: string, status: number, body: unknown): void {
      assert.deepEqual(validateResponse(operationId, status, body), [], `${operationId} ${status}`);
      seen.add(operationId);
    }

    describe("success shapes", () => {
      it("validates every operation's success response against the spec", async () => {
        const emu = emulator();
        const jobId = await seed();
        const cases: Array<[string, string, string, number, unknown?]> = [
          ["get_coupons", "GET", "/api/coupons", 200],
          [
            "create_coupon",
            "POST",
            "/api/coupons",
            201,
            couponBody("20OFF", { monitor_configuration: { a: 1 } }),
          ],
          ["get_coupon", "GET", "/api/coupons/10OFF", 200],
          [
            "update_coupon",
            "PATCH",
            "/api/coupons/20OFF",
            200,
            { data: { type: "coupon", id: "20OFF", attributes: { description: null } } },
          ],
          [
            "get_coupon_codes",
            "GET",
            `/api/coupon-codes?filter=equals(coupon.id,'10OFF')&include=coupon`,
            200,
          ],
          ["create_coupon_code", "POST", "/api/coupon-codes", 200, codeBody("20OFF", "X1")],
          ["get_coupon_code", "GET", "/api/coupon-codes/10OFF-ASD325?include=coupon", 200],
          [
            "update_coupon_code",
            "PATCH",
            "/api/coupon-codes/20OFF-X1",
            200,
            { data: { type: "coupon-code", id: "20OFF-X1", attributes: { status: "USED" } } },
          ],
          ["delete_coupon_code", "DELETE", "/api/coupon-codes/20OFF-X1", 204],
          ["get_bulk_create_coupon_code_jobs", "GET", "/api/coupon-code-bulk-create-jobs", 200],
          [
            "bulk_create_coupon_codes",
            "POST",
            "/api/coupon-code-bulk-create-jobs",
            202,
            jobBody([codeData("20OFF", "J")]),
          ],
          [
            "get_bulk_create_coupon_codes_job",
            "GET",
            `/api/coupon-code-bulk-create-jobs/${jobId}?include=coupon-codes`,
            200,
          ],
          ["get_coupon_for_coupon_code", "GET", "/api/coupon-codes/10OFF-ASD325/coupon", 200],
          [
            "get_coupon_id_for_coupon_code",
            "GET",
            "/api/coupon-codes/10OFF-ASD325/relationships/coupon",
            200,
          ],
          ["get_coupon_codes_for_coupon", "GET", "/api/coupons/10OFF/coupon-codes", 200],
          ["get_coupon_code_ids_for_coupon", "GET", "/api/coupons/10OFF/relationships/coupon-codes", 200],
        ];
        for (const [operationId, method, path, status, body] of cases) {
          const result = await call(emu, method, path, { body });
          assert.equal(result.status, status, `${operationId}: ${JSON.stringify(result.body)}`);
          if (status !== 204) assert.equal(result.headers["content-type"], "application/vnd.api+json");
          record(operationId, result.status, result.body);
        }
        await emu.control.waitForJobs();
        const deleted = await call(emu, "DELETE", "/api/coupons/20OFF");
        assert.equal(deleted.status, 204);
        assert.equal(deleted.body, undefined);
        record("delete_coupon", deleted.status, deleted.body);
        assert.deepEqual([...seen].sort(), specValidator().operationIds().sort());
      });

      it("renders compound documents with included coupons and codes", async () => {
        const emu = emulator();
        const jobId = await seed();
        const list = await call(
          emu,
          "GET",
          "/api/coupon-codes?filter=equals(coupon.id,'10OFF')&include=coupon",
        );
        assert.deepEqual(
          list.body.included.map((item: any) => [item.type, item.id]),
          [["coupon", "10OFF"]],
        );
        const job = await call(emu, "GET", `/api/coupon-code-bulk-create-jobs/${jobId}?include=coupon-codes`);
        assert.deepEqual(
          job.body.included.map((item: any) => item.id),
          ["10OFF-JOB1"],
        );
        assert.deepEqual(job.body.data.relationships["coupon-codes"].data, [
          { type: "coupon-code", id: "10OFF-JOB1" },
        ]);
      });

      it("renders the profile relationship of an assigned code with absolute links", async () => {
        const emu = emulator();
        await seed();
        const code = await call(emu, "GET", "/api/coupon-codes/10OFF-ASD325");
        const { relationships, links } = code.body.data;
        assert.deepEqual(relationships.profile.data, { type: "profile", id: "01PROFILE" });
        assert.equal(links.self, `${emu.url}/api/coupon-codes/10OFF-ASD325`);
        assert.equal(relationships.coupon.links.related, `${emu.url}/api/coupon-codes/10OFF-ASD325/coupon`);
        assert.equal(code.body.links.self, `${emu.url}/api/coupon-codes/10OFF-ASD325`);
      });
    });

    describe("error shapes", () => {
      it("validates 4xx bodies against the spec's error schema with id, code, title and detail", async () => {
        const emu = emulator();
        const results = [
          ["get_coupon", await call(emu, "GET", "/api/coupons/NOPE")],
          ["create_coupon", await call(emu, "POST", "/api/coupons", { body: { data: { type: "coupon" } } })],
          ["get_coupons", await call(emu, "GET", "/api/coupons", { apiKey: null })],
        ] as const;
        for (const [operationId, result] of results) {
          assert.ok(result.status >= 400 && result.status < 500);
          record(operationId, result.status, result.body);
          const [error] = result.body.errors;
          for (const key of ["id", "code", "title", "detail"]) assert.equal(typeof error[key], "string", key);
          assert.equal(error.status, result.status);
          assert.deepEqual(error.links, {});
          assert.equal(typeof error.meta, "object");
        }
      });

      it("validates injected 5xx bodies against the spec's server error schema", async () => {
        const emu = emulator();
        emu.control.injectFault({ path: "/api/coupons", status: 503 });
        const result = await call(emu, "GET", "/api/coupons");
        assert.equal(result.status, 503);
        record("get_coupons", result.status, result.body);
      });
    });
  },
);
