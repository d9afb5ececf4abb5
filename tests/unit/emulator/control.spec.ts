import { strict as assert } from "assert";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, codeItems, couponBody, jobBody } from "../../../testkit/emulatorHttp";

async function control(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe("emulator control", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  describe("faults", () => {
    it("answers an injected status with Retry-After for the next count matching requests", async () => {
      const emu = emulator();
      emu.control.injectFault({ method: "post", path: "/api/coupons", count: 2, status: 429, retryAfter: 3 });
      assert.equal((await call(emu, "GET", "/api/coupons")).status, 200);
      for (let i = 0; i < 2; i++) {
        const faulted = await call(emu, "POST", "/api/coupons", { body: couponBody("F") });
        assert.equal(faulted.status, 429);
        assert.equal(faulted.headers["retry-after"], "3");
      }
      assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody("F") })).status, 201);
    });

    it("matches by path prefix without the query and answers 500 or 503 without touching state", async () => {
      const emu = emulator();
      emu.control.injectFault({ path: "/api/coupon-code-bulk-create-jobs", status: 503 });
      emu.control.injectFault({ path: "/api/coupons/", status: 500 });
      await call(emu, "POST", "/api/coupons", { body: couponBody("A") });
      const job = await call(emu, "POST", "/api/coupon-code-bulk-create-jobs?x=1", {
        body: jobBody(codeItems("A", 1)),
      });
      assert.equal(job.status, 503);
      assert.equal(emu.control.counts().jobs, 0);
      assert.equal((await call(emu, "GET", "/api/coupons/A")).status, 500);
    });

    it("drops the connection before processing", async () => {
      const emu = emulator();
      emu.control.injectFault({ path: "/api/coupons", drop: true });
      await assert.rejects(call(emu, "POST", "/api/coupons", { body: couponBody("D") }));
      assert.equal(emu.control.counts().coupons, 0);
      assert.deepEqual(emu.control.requestLog()[0], {
        method: "POST",
        path: "/api/coupons",
        status: 0,
        time: emu.control.requestLog()[0].time,
        operationId: "create_coupon",
        dropped: true,
      });
    });

    it("applies the request and then drops the connection", async () => {
      const emu = emulator();
      emu.control.injectFault({ path: "/api/coupons", dropAfterProcessing: true });
      await assert.rejects(call(emu, "POST", "/api/coupons", { body: couponBody("D") }));
      assert.equal(emu.control.counts().coupons, 1);
      assert.equal((await call(emu, "POST", "/api/coupons", { body: couponBody("D") })).status, 409);
      assert.equal(emu.control.requestLog()[0].status, 201);
    });

    it("delays matching requests by latencyMs", async () => {
      const emu = emulator();
      emu.control.injectFault({ path: "/api/coupons", latencyMs: 200 });
      const start = Date.now();
      assert.equal((await call(emu, "GET", "/api/coupons")).status, 200);
      assert.ok(Date.now() - start >= 190);
    });

    it("forgets faults on clearFaults", async () => {
      const emu = emulator();
      emu.control.injectFault({ path: "/api", status: 500, count: 5 });
      emu.control.clearFaults();
      assert.equal((await call(emu, "GET", "/api/coupons")).status, 200);
    });

    it("rejects malformed faults", () => {
      const emu = emulator();
      assert.throws(() => emu.control.injectFault({ path: "api" }), /path/);
      assert.throws(() => emu.control.injectFault({ path: "/api", count: 0 }), /count/);
      assert.throws(
        () => emu.control.injectFault({ path: "/api", drop: true, dropAfterProcessing: true }),
        /exclude/,
      );
    });
  });

  describe("counts and request log", () => {
    it("counts objects and API requests but not control requests", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("A") });
      await call(emu, "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      await call(emu, "GET", "/api/coupons", { apiKey: "pk_nope" });
      await control(emu.url, "GET", "/counts");
      assert.deepEqual(emu.control.counts(), { coupons: 1, codes: 1, jobs: 0, requests: 3 });
      assert.deepEqual(
        emu.control.requestLog().map(({ method, path, status }) => [method, path, status]),
        [
          ["POST", "/api/coupons", 201],
          ["POST", "/api/coupon-codes", 200],
          ["GET", "/api/coupons", 401],
        ],
      );
      emu.control.resetRequestLog();
      assert.deepEqual(emu.control.requestLog(), []);
      assert.equal(emu.control.counts().requests, 3);
      emu.control.reset();
      assert.deepEqual(emu.control.counts(), { coupons: 0, codes: 0, jobs: 0, requests: 0 });
    });

    it("marks codes used and assigned", async () => {
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("A") });
      await call(emu, "POST", "/api/coupon-codes", { body: codeBody("A", "X") });
      emu.control.markCodeUsed("A-X");
      assert.equal((await call(emu, "GET", "/api/coupon-codes/A-X")).body.data.attributes.status, "USED");
      assert.throws(() => emu.control.assignCode("A-NOPE", "P"), /does not exist/);
    });
  });

  describe("HTTP routes", () => {
    it("exposes every control operation under /__emulator/", async () => {
      const { url, control: inProcess } = emulator();
      assert.equal(
        (await control(url, "POST", "/ui-coupons", { externalId: "UI", expiresAt: null })).status,
        201,
      );
      await call(emulator(), "POST", "/api/coupon-codes", { body: codeBody("UI", "X") });
      assert.equal((await control(url, "POST", "/codes/UI-X/assign", { profileId: "P1" })).status, 200);
      const code = await call(emulator(), "GET", "/api/coupon-codes/UI-X");
      assert.deepEqual(code.body.data.relationships.profile.data, { type: "profile", id: "P1" });
      assert.equal((await control(url, "POST", "/codes/UI-X/use")).status, 200);
      assert.equal(
        (await control(url, "POST", "/faults", { path: "/api/coupons", status: 500 })).status,
        201,
      );
      assert.equal((await control(url, "DELETE", "/faults")).status, 200);
      assert.equal((await call(emulator(), "GET", "/api/coupons")).status, 200);
      assert.equal((await control(url, "POST", "/job-outcomes", { cancel: true })).status, 201);
      const config = await control(url, "PATCH", "/config", {
        couponDelete: "refuse-with-codes",
        jobs: { queuedMs: 7 },
      });
      assert.equal(config.body.couponDelete, "refuse-with-codes");
      assert.equal(inProcess.settings().jobs.queuedMs, 7);
      assert.equal((await control(url, "GET", "/config")).body.jobs.queuedMs, 7);
      assert.deepEqual((await control(url, "GET", "/counts")).body, {
        coupons: 1,
        codes: 1,
        jobs: 0,
        requests: 3,
      });
      assert.equal((await control(url, "GET", "/requests")).body.length, 3);
      assert.equal((await control(url, "DELETE", "/requests")).status, 200);
      assert.equal((await control(url, "POST", "/wait-for-jobs", {})).status, 200);
      assert.equal((await control(url, "POST", "/reset")).status, 200);
      assert.equal(inProcess.counts().coupons, 0);
      inProcess.configure({ couponDelete: "cascade", jobs: { queuedMs: 5 } });
    });

    it("answers 400 with an error message for invalid input and 404 for unknown routes", async () => {
      const { url } = emulator();
      const bad = await control(url, "PATCH", "/config", { rateLimits: { scale: -1 } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /scale/);
      assert.equal((await control(url, "POST", "/codes/NOPE/use")).status, 400);
      assert.equal((await control(url, "GET", "/nothing")).status, 404);
    });
  });
});
