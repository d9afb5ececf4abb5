import { strict as assert } from "assert";
import { ApiKeySession, CouponsApi, RetryWithExponentialBackoff } from "klaviyo-api";
import { useTestEmulator } from "../../../testkit/emulator";

describe("emulator with the official klaviyo-api SDK", () => {
  const emulator = useTestEmulator({ rateLimits: { scale: 10 } });

  function sdk(): CouponsApi {
    const emu = emulator();
    const session = new ApiKeySession(emu.apiKey, new RetryWithExponentialBackoff({ numRetries: 3 }));
    const api = new CouponsApi(session);
    // The SDK builds every URL from basePath, so pointing it at the emulator is enough.
    api.basePath = emu.url;
    return api;
  }

  describe("coupon workflow", () => {
    it("creates, bulk-loads, lists, patches and deletes through the SDK", async () => {
      const api = sdk();
      const coupon = await api.createCoupon({
        data: { type: "coupon", attributes: { externalId: "SDK10", description: "SDK coupon" } },
      });
      assert.equal(coupon.response.status, 201);
      assert.equal(coupon.body.data.id, "SDK10");

      const codes = Array.from({ length: 150 }, (_, i) => ({
        type: "coupon-code" as const,
        attributes: { uniqueCode: `SDK${i}`, expiresAt: new Date("2031-01-01T00:00:00Z") },
        relationships: { coupon: { data: { type: "coupon" as const, id: "SDK10" } } },
      }));
      const job = await api.bulkCreateCouponCodes({
        data: { type: "coupon-code-bulk-create-job", attributes: { couponCodes: { data: codes } } },
      });
      assert.equal(job.response.status, 202);
      let status = String(job.body.data.attributes.status);
      for (let i = 0; i < 200 && (status === "queued" || status === "processing"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const polled = await api.getBulkCreateCouponCodesJob(job.body.data.id as string);
        status = String(polled.body.data.attributes.status);
      }
      assert.equal(status, "complete");

      const firstPage = await api.getCouponCodes(
        `and(equals(coupon.id,"SDK10"),equals(status,"UNASSIGNED"))`,
        {
          include: ["coupon"],
          pageSize: 100,
        },
      );
      assert.equal(firstPage.body.data.length, 100);
      assert.equal(firstPage.body.included?.[0].id, "SDK10");
      const next = firstPage.body.links?.next as string;
      const cursor = new URL(next).searchParams.get("page[cursor]") as string;
      const secondPage = await api.getCouponCodes(`equals(coupon.id,"SDK10")`, { pageCursor: cursor });
      assert.equal(secondPage.body.data.length, 50);
      assert.equal(secondPage.body.links?.next, undefined);
      assert.equal(secondPage.body.data[0].attributes.expiresAt?.toISOString(), "2031-01-01T00:00:00.000Z");

      const patched = await api.updateCouponCode("SDK10-SDK0", {
        data: { type: "coupon-code", id: "SDK10-SDK0", attributes: { status: "USED" } },
      });
      assert.equal(patched.body.data.attributes.status, "USED");

      const deleted = await api.deleteCouponCode("SDK10-SDK1");
      assert.equal(deleted.response.status, 204);
      const removed = await api.deleteCoupon("SDK10");
      assert.equal(removed.response.status, 204);
      assert.deepEqual(emulator().control.counts().coupons, 0);
    });

    it("surfaces JSON:API errors as axios errors carrying the status", async () => {
      const api = sdk();
      await assert.rejects(api.getCoupon("MISSING"), (error: any) => {
        assert.equal(error.response.status, 404);
        assert.equal(error.response.data.errors[0].code, "not_found");
        return true;
      });
    });

    it("retries an injected 503 transparently", async () => {
      const api = sdk();
      emulator().control.injectFault({ path: "/api/coupons", status: 503 });
      const result = await api.getCoupons();
      assert.equal(result.response.status, 200);
      assert.equal(emulator().control.requestLog().length, 2);
    });
  });
});
