import { strict as assert } from "assert";
import { createKlaviyoClient } from "../../../../provider/client";
import { call, codeData, couponBody, jobBody, waitForJob } from "../../../../testkit/emulatorHttp";
import { useTestEmulator } from "../../../../testkit/emulator";
import { startStub, type Stub } from "../../../../testkit/stubServer";

const KEY = "pk_stub_0123456789abcdef0123456789abcdef";

describe("klaviyoClient", () => {
  describe("responses that echo the API key", () => {
    const emulator = useTestEmulator({ rateLimits: { enabled: false } });
    let stub: Stub | undefined;
    afterEach(async () => stub?.close());

    it("never returns the key inside a 200 body, such as a bulk job's per-item error detail", async () => {
      // A real job body with one per-item error, whose detail then carries the key.
      const emu = emulator();
      await call(emu, "POST", "/api/coupons", { body: couponBody("ECHO") });
      const items = [codeData("ECHO", "A1"), codeData("ECHO", "A1")];
      const job = await call(emu, "POST", "/api/coupon-code-bulk-create-jobs", { body: jobBody(items) });
      await waitForJob(emu, job.body.data.id);
      const body = (await call(emu, "GET", `/api/coupon-code-bulk-create-jobs/${job.body.data.id}`)).body;
      assert.ok(body.data.attributes.errors.length > 0, "the job should report an item error");
      body.data.attributes.errors[0].detail = `Invalid key ${KEY} for item`;
      stub = await startStub(() => ({
        status: 200,
        headers: { "content-type": "application/vnd.api+json" },
        body,
      }));

      const client = createKlaviyoClient({ apiKey: KEY, baseUrl: stub.url });
      const result = await client.getBulkCreateCouponCodesJob(job.body.data.id);
      const text = JSON.stringify(result);
      assert.ok(!text.includes(KEY), text);
      assert.match(text, /Invalid key \[REDACTED\] for item/);
    });
  });
});
