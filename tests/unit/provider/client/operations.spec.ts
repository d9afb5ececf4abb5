import { strict as assert } from "assert";
import { createKlaviyoClient, type KlaviyoClient } from "../../../../provider/client";
import { fillPath } from "../../../../provider/client/operations";
import { useTestEmulator } from "../../../../testkit/emulator";
import { startStub, type Stub } from "../../../../testkit/stubServer";

/** Every client method that puts an id into the URL path, called with `id`. */
function idCalls(client: KlaviyoClient, id: string): Array<[string, () => Promise<unknown>]> {
  const drain = async (pages: AsyncIterable<unknown>) => {
    for await (const _page of pages) break;
  };
  return [
    ["getCoupon", () => client.getCoupon(id)],
    ["updateCoupon", () => client.updateCoupon(id, { description: "d" })],
    ["deleteCoupon", () => client.deleteCoupon(id)],
    ["getCouponCode", () => client.getCouponCode(id)],
    ["updateCouponCode", () => client.updateCouponCode(id, { expires_at: null })],
    ["deleteCouponCode", () => client.deleteCouponCode(id)],
    ["getBulkCreateCouponCodesJob", () => client.getBulkCreateCouponCodesJob(id)],
    ["getCouponForCouponCode", () => client.getCouponForCouponCode(id)],
    ["getCouponIdForCouponCode", () => client.getCouponIdForCouponCode(id)],
    ["getCouponCodesForCoupon", async () => drain(client.getCouponCodesForCoupon(id))],
    ["getCouponCodeIdsForCoupon", async () => drain(client.getCouponCodeIdsForCoupon(id))],
  ];
}

describe("operations", () => {
  describe("fillPath", () => {
    it("percent-encodes each value as one path segment", () => {
      assert.equal(fillPath("api/coupons/{id}", { id: "a/b?c#d %" }), "api/coupons/a%2Fb%3Fc%23d%20%25");
      assert.equal(
        fillPath("api/coupon-codes/{id}/coupon", { id: "..-CODE1" }),
        "api/coupon-codes/..-CODE1/coupon",
      );
      assert.equal(fillPath("api/coupons/{id}", { id: "..." }), "api/coupons/...");
      // Already-encoded dots stay literal: the server decodes them once, to "%2E%2E".
      assert.equal(fillPath("api/coupons/{id}", { id: "%2E%2E" }), "api/coupons/%252E%252E");
    });

    it('refuses "." and "..": URL parsers resolve them (and %2E, %2E%2E) as dot segments', () => {
      for (const id of [".", ".."]) {
        assert.throws(() => fillPath("api/coupons/{id}", { id }), {
          name: "TypeError",
          message: `id "${id}" cannot be put in a URL path: it would address another endpoint`,
        });
      }
      assert.equal(new URL("http://x/api/coupons/%2E%2E").pathname, "/api/", "why encoding is no way out");
    });
  });

  describe("client URLs", () => {
    let stub: Stub;
    let client: KlaviyoClient;
    before(async () => {
      stub = await startStub(() => ({
        status: 404,
        body: { errors: [{ id: "1", code: "not_found", title: "Not found", detail: "none" }] },
      }));
      client = createKlaviyoClient({ apiKey: "pk_test", baseUrl: stub.url, retry: { maxAttempts: 1 } });
    });
    after(() => stub.close());

    it('sends no request and fails with a TypeError for an id "..", from every method that takes one', async () => {
      for (const [name, call] of idCalls(client, "..")) {
        await assert.rejects(call(), { name: "TypeError" }, name);
      }
      assert.deepEqual(stub.requests, []);
    });

    it("puts an id with /, ?, #, % and spaces into the path as one encoded segment, from every method", async () => {
      const calls = idCalls(client, "a/b?c#d %");
      const start = stub.requests.length;
      for (const [, call] of calls) await call().catch(() => undefined);
      const sent = stub.requests.slice(start);
      assert.equal(sent.length, calls.length);
      for (const r of sent) assert.match(r.url, /^\/api\/[a-z-]+\/a%2Fb%3Fc%23d%20%25(\/|\?|$)/, r.url);
    });
  });

  describe("a coupon whose id is a dot segment (emulator)", () => {
    const emulator = useTestEmulator({ rateLimits: { enabled: false } });

    it('fails loudly for "..": neither "not found" on read nor a silent success on delete', async () => {
      const { url, apiKey } = emulator();
      const client = createKlaviyoClient({ apiKey, baseUrl: url });
      await client.createCoupon({ external_id: ".." });
      await assert.rejects(client.getCoupon(".."), { name: "TypeError" });
      await assert.rejects(client.deleteCoupon(".."), { name: "TypeError" });
      const listed: string[] = [];
      for await (const page of client.getCoupons()) listed.push(...page.data.map((c) => c.id));
      assert.deepEqual(listed, [".."], "the coupon is still there");
    });
  });
});
