import { strict as assert } from "assert";
import {
  closedPort,
  couponResource,
  startStub,
  type Stub,
  type StubReply,
} from "../../../testkit/stubServer";
import { runCli } from "../../../testkit/cliTestKit";

const KEY = "pk_stub_spec_secret_key";

/** A coupon-code resource; `status` undefined leaves the attribute out, as a sparse answer may. */
function code(unique: string, status: string | null | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = { unique_code: unique, expires_at: null };
  if (status !== undefined) attributes.status = status;
  return { type: "coupon-code", id: `NOSTATUS-${unique}`, attributes };
}

/** Klaviyo's answers for one coupon NOSTATUS whose codes partly come back without a status. */
function noStatusReply(url: string): StubReply {
  const { pathname } = new URL(url, "http://stub");
  if (pathname === "/api/coupons/NOSTATUS")
    return { status: 200, body: { data: couponResource("NOSTATUS") } };
  if (pathname === "/api/coupons") return { status: 200, body: { data: [couponResource("NOSTATUS")] } };
  if (pathname === "/api/coupon-codes") {
    return {
      status: 200,
      body: { data: [code("A1", "UNASSIGNED"), code("B2", null), code("C3", undefined)] },
    };
  }
  return {
    status: 404,
    body: { errors: [{ id: "1", code: "not_found", title: "Not found.", detail: pathname }] },
  };
}

describe("klaviyoCoupons (stubbed Klaviyo)", () => {
  let stub: Stub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  describe("main", () => {
    it("announces each retry on stderr, then fails with one line, when the API cannot be reached", async function () {
      // Five attempts with the default backoff (0.5, 1, 2, 4 s caps, full jitter): at most 7.5 s of waits.
      this.timeout(30_000);
      const port = await closedPort();
      const r = await runCli(["coupons", "--base-url", `http://127.0.0.1:${port}`], { KLAVIYO_API_KEY: KEY });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 5, r.stderr);
      lines.slice(0, 4).forEach((line, i) => {
        assert.match(
          line,
          new RegExp(
            `^klaviyo-coupons: GET /api/coupons failed \\(ECONNREFUSED\\); retrying in \\d+(\\.\\d)? s \\(attempt ${i + 2} of 5\\)$`,
          ),
        );
      });
      assert.equal(
        lines[4],
        `klaviyo-coupons: Klaviyo GET /api/coupons failed: 0 Network error: ECONNREFUSED: connect ECONNREFUSED ` +
          `127.0.0.1:${port} (gave up after 5 attempts)`,
      );
      assert.ok(!r.stderr.includes(KEY));
      const help = await runCli(["coupons", "--help"], {});
      assert.match(help.stdout, /each retry is announced with one line on stderr/);
    });

    it("announces a retry after a server error and then succeeds quietly", async () => {
      stub = await startStub((_req, index) =>
        index === 0
          ? {
              status: 503,
              body: {
                errors: [{ id: "1", code: "error", title: "Service unavailable.", detail: "Try again." }],
              },
            }
          : { status: 200, body: { data: [] } },
      );
      const r = await runCli(["coupons", "--json"], { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: stub.url });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), []);
      assert.match(
        r.stderr,
        /^klaviyo-coupons: GET \/api\/coupons failed \(HTTP 503\); retrying in \d+(\.\d)? s \(attempt 2 of 5\)\n$/,
      );
    });
  });

  describe("availability", () => {
    it("counts codes Klaviyo returned without a status under UNKNOWN, as its help says", async () => {
      stub = await startStub((req) => noStatusReply(req.url));
      const env = { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: stub.url };
      const json = await runCli(["availability", "--coupon", "NOSTATUS", "--json"], env);
      assert.equal(json.code, 0, json.stderr);
      const result = JSON.parse(json.stdout);
      assert.equal(result.total, 3);
      assert.equal(result.counts.UNASSIGNED, 1);
      assert.equal(result.counts.UNKNOWN, 2);
      const table = await runCli(["availability", "--coupon", "NOSTATUS"], env);
      assert.match(table.stdout, /^UNKNOWN +2$/m);
      const help = await runCli(["availability", "--help"], {});
      assert.match(help.stdout.replace(/\s+/g, " "), /UNKNOWN for codes Klaviyo returned without a status/);
    });
  });

  describe("coupons", () => {
    it("includes UNKNOWN in each coupon's JSON counts, as its help says", async () => {
      stub = await startStub((req) => noStatusReply(req.url));
      const r = await runCli(["coupons", "--json"], { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: stub.url });
      assert.equal(r.code, 0, r.stderr);
      const [coupon] = JSON.parse(r.stdout);
      assert.equal(coupon.counts.UNKNOWN, 2);
      assert.equal(coupon.total, 3);
      const help = await runCli(["coupons", "--help"], {});
      assert.match(help.stdout.replace(/\s+/g, " "), /UNKNOWN for codes Klaviyo returned without a status/);
    });
  });
});
