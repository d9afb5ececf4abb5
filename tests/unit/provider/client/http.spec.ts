import { strict as assert } from "assert";
import { createKlaviyoClient, type RequestInfo } from "../../../../provider/client";
import { failure } from "../../../../testkit/clientTestKit";
import { closedPort, couponResource, startStub, type Stub } from "../../../../testkit/stubServer";

const API_KEY = "pk_stub_secret_0123456789";
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe("http", () => {
  let stub: Stub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  describe("request", () => {
    it("sends the auth, revision, JSON:API and user-agent headers", async () => {
      stub = await startStub(() => ({ status: 200, body: { data: couponResource("A") } }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, userAgent: "ua-test/1" });
      await client.getCoupon("A");
      const h = stub.requests[0].headers;
      assert.equal(h.authorization, `Klaviyo-API-Key ${API_KEY}`);
      assert.equal(h.revision, "2026-07-15");
      assert.equal(h.accept, "application/vnd.api+json");
      assert.equal(h["user-agent"], "ua-test/1");
      assert.equal(stub.requests[0].url, "/api/coupons/A");
    });

    it("sends a JSON:API body with the JSON:API content type", async () => {
      stub = await startStub(() => ({
        status: 201,
        body: { data: couponResource("B", { description: "d" }) },
      }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const coupon = await client.createCoupon({ external_id: "B", description: "d" });
      assert.equal(coupon.attributes.description, "d");
      assert.equal(stub.requests[0].headers["content-type"], "application/vnd.api+json");
      assert.deepEqual(JSON.parse(stub.requests[0].body), {
        data: { type: "coupon", attributes: { external_id: "B", description: "d" } },
      });
    });

    it("URL-encodes ids in paths and values in queries", async () => {
      stub = await startStub(() => ({ status: 200, body: { data: [], links: { self: "x" } } }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: `${stub.url}/prefix` });
      for await (const _ of client.getCouponCodesForCoupon('a/b?c#d"e', {
        filter: 'equals(status,"A B")',
        pageSize: 5,
      })) {
        // one empty page
      }
      assert.equal(
        stub.requests[0].url,
        "/prefix/api/coupons/a%2Fb%3Fc%23d%22e/coupon-codes?filter=equals(status%2C%22A%20B%22)&page%5Bsize%5D=5",
      );
    });

    it("keeps the base URL's path prefix", async () => {
      stub = await startStub(() => ({ status: 204 }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: `${stub.url}/proxy/` });
      await client.deleteCoupon("X");
      assert.equal(stub.requests[0].url, "/proxy/api/coupons/X");
    });

    it("retries a POST whose connection was refused, since nothing was sent", async () => {
      const port = await closedPort();
      const seen: RequestInfo[] = [];
      const client = createKlaviyoClient({
        apiKey: API_KEY,
        baseUrl: `http://127.0.0.1:${port}`,
        retry: fast,
        onRequest: (i) => seen.push(i),
      });
      const err = await failure(client.createCoupon({ external_id: "C" }));
      assert.equal(err.status, 0);
      assert.equal(err.code, "ECONNREFUSED");
      assert.equal(err.outcomeUnknown, undefined);
      assert.equal(err.attempts, 3);
      assert.deepEqual(
        seen.map((s) => [s.operationId, s.status, s.attempt]),
        [
          ["create_coupon", 0, 1],
          ["create_coupon", 0, 2],
          ["create_coupon", 0, 3],
        ],
      );
      assert.match(err.message, /^Klaviyo POST \/api\/coupons failed: 0 Network error: ECONNREFUSED/);
    });

    it("does not re-send a POST that timed out after it was sent", async () => {
      stub = await startStub(() => "hang");
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast, timeoutMs: 200 });
      const err = await failure(client.createCoupon({ external_id: "D" }));
      assert.equal(err.outcomeUnknown, true);
      assert.equal(err.code, "ETIMEDOUT");
      assert.equal(stub.requests.length, 1);
    });

    it("does not re-send a POST whose connection was reset after sending", async () => {
      stub = await startStub(() => "destroy");
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast });
      const err = await failure(client.createCouponCode({ couponId: "A", unique_code: "B" }));
      assert.equal(err.outcomeUnknown, true);
      assert.equal(err.status, 0);
      assert.equal(stub.requests.length, 1);
    });

    it("retries a PATCH whose connection was reset, since it is idempotent", async () => {
      stub = await startStub((_req, i) =>
        i < 2 ? "destroy" : { status: 200, body: { data: couponResource("P", { description: "new" }) } },
      );
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast });
      const coupon = await client.updateCoupon("P", { description: "new" });
      assert.equal(coupon.attributes.description, "new");
      assert.equal(stub.requests.length, 3);
    });

    it("retries a GET that timed out, then reports the timeout", async () => {
      stub = await startStub(() => "hang");
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast, timeoutMs: 100 });
      const err = await failure(client.getCoupon("E"));
      assert.equal(err.status, 0);
      assert.equal(err.title, "Timeout");
      assert.equal(stub.requests.length, 3);
    });

    it("backs off on a 429 without Retry-After", async () => {
      stub = await startStub((_req, i) => (i < 2 ? { status: 429 } : { status: 204 }));
      const client = createKlaviyoClient({
        apiKey: API_KEY,
        baseUrl: stub.url,
        retry: { ...fast, maxAttempts: 1 },
      });
      await client.deleteCouponCode("A-B");
      assert.equal(stub.requests.length, 3);
    });

    it("does not re-send a POST answered by a gateway timeout", async () => {
      stub = await startStub(() => ({ status: 504, body: "<html>gateway timeout</html>" }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast });
      const err = await failure(client.bulkCreateCouponCodes([{ couponId: "A", unique_code: "X" }]));
      assert.equal(err.outcomeUnknown, true);
      assert.equal(err.status, 504);
      assert.equal(stub.requests.length, 1);
    });

    it("uses the status text and a body snippet when a 5xx body is not JSON:API", async () => {
      stub = await startStub(() => ({ status: 502, body: "<html>  bad\n gateway </html>" }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url, retry: fast });
      const err = await failure(client.getCoupon("F"));
      assert.equal(
        err.message,
        "Klaviyo GET /api/coupons/F failed: 502 Bad Gateway: <html> bad gateway </html> (gave up after 3 attempts)",
      );
    });

    it("reports a response that does not match the schema", async () => {
      stub = await startStub(() => ({ status: 200, body: { data: { type: "coupon-code", id: 1 } } }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const err = await failure(client.getCoupon("G"));
      assert.equal(err.code, "invalid_response");
      assert.equal(err.status, 200);
      assert.match(err.detail, /get_coupon schema/);
    });

    it("accepts unknown extra keys and fills omitted optional attributes", async () => {
      stub = await startStub(() => ({
        status: 200,
        body: { data: { type: "coupon", id: "H", attributes: { surprise: 1 }, extra: true }, meta: {} },
      }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const coupon = await client.getCoupon("H", { fields: ["description"] });
      assert.deepEqual(coupon, {
        type: "coupon",
        id: "H",
        attributes: { external_id: "H", description: null, monitor_configuration: null },
      });
      assert.equal(stub.requests[0].url, "/api/coupons/H?fields%5Bcoupon%5D=description");
    });

    it("reports a null coupon document as a 404", async () => {
      stub = await startStub(() => ({ status: 200, body: { data: null } }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const err = await failure(client.getCoupon("I"));
      assert.equal(err.status, 404);
    });

    it("removes the API key from anything the server echoes into an error", async () => {
      stub = await startStub((req) => ({
        status: 400,
        body: {
          errors: [{ id: "1", code: "bad", title: "Bad", detail: `header was ${req.headers.authorization}` }],
        },
      }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const err = await failure(client.getCoupon("J"));
      assert.ok(!JSON.stringify(err).includes(API_KEY));
      assert.ok(!err.message.includes(API_KEY));
      assert.match(err.detail, /\[REDACTED\]/);
    });

    it("refuses links.next on another origin, where the key would follow", async () => {
      stub = await startStub(() => ({
        status: 200,
        body: { data: [couponResource("K")], links: { self: "x", next: "https://evil.example/api/coupons" } },
      }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const pages = client.getCoupons()[Symbol.asyncIterator]();
      const err = await failure(pages.next());
      assert.equal(err.code, "invalid_response");
      assert.equal(stub.requests.length, 1);
    });

    it("follows a same-origin links.next without a cursor", async () => {
      stub = await startStub((req, i) =>
        i === 0
          ? {
              status: 200,
              body: { data: [couponResource("L1")], links: { self: "x", next: `/api/coupons?offset=1` } },
            }
          : { status: 200, body: { data: [couponResource("L2")], links: { self: req.url } } },
      );
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const ids: string[] = [];
      for await (const page of client.getCoupons()) ids.push(...page.data.map((c) => c.id));
      assert.deepEqual(ids, ["L1", "L2"]);
      assert.equal(stub.requests[1].url, "/api/coupons?offset=1");
    });

    it("stops when links.next repeats a cursor", async () => {
      stub = await startStub(() => ({
        status: 200,
        body: { data: [], links: { self: "x", next: "/api/coupons?page%5Bcursor%5D=same" } },
      }));
      const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl: stub.url });
      const err = await failure(
        (async () => {
          for await (const _ of client.getCoupons()) {
            // drain
          }
        })(),
      );
      assert.match(err.detail, /repeats/);
      assert.equal(stub.requests.length, 2);
    });

    it("ignores an onRequest observer that throws", async () => {
      stub = await startStub(() => ({ status: 204 }));
      const client = createKlaviyoClient({
        apiKey: API_KEY,
        baseUrl: stub.url,
        onRequest: () => {
          throw new Error("observer bug");
        },
      });
      await client.deleteCouponCode("X-Y");
    });
  });
});
