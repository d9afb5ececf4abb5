import { strict as assert } from "assert";
import { parseFilter, tokenize } from "../../../emulator/filter";
import { isApiFailure } from "../../../emulator/failures";
import { useTestEmulator } from "../../../testkit/emulator";
import { call, codeBody, couponBody, ids } from "../../../testkit/emulatorHttp";

function filterFailure(text: string): string {
  try {
    parseFilter(text);
  } catch (error) {
    assert.ok(isApiFailure(error));
    assert.deepEqual(error.entries[0].source, { parameter: "filter" });
    return error.entries[0].detail;
  }
  assert.fail(`expected '${text}' to be rejected`);
}

describe("filter", () => {
  describe("tokenize", () => {
    it("splits punctuation, quoted strings and bare words", () => {
      assert.deepEqual(
        tokenize(`equals(a,'x y')`).map((token) => [token.kind, token.text]),
        [
          ["word", "equals"],
          ["(", "("],
          ["word", "a"],
          [",", ","],
          ["string", "x y"],
          [")", ")"],
          ["end", ""],
        ],
      );
    });
  });

  describe("parseFilter", () => {
    it("flattens and(...) and top-level commas into one list", () => {
      const conditions = parseFilter(
        `and(equals(coupon.id,"A"),equals(status,'USED')),less-than(expires_at,2030-01-01T00:00:00Z)`,
      );
      assert.deepEqual(
        conditions.map((c) => [c.operator, c.field]),
        [
          ["equals", "coupon.id"],
          ["equals", "status"],
          ["less-than", "expires_at"],
        ],
      );
    });

    it("unescapes backslashes inside quotes so quotes, commas and parentheses survive", () => {
      const [condition] = parseFilter(String.raw`equals(coupon.id,"a\"b,c)")`);
      assert.deepEqual(condition.value, { kind: "string", value: 'a"b,c)' });
      const [single] = parseFilter(String.raw`equals(coupon.id,'it\'s\\(x)')`);
      assert.deepEqual(single.value, { kind: "string", value: "it's\\(x)" });
    });

    it("parses lists and tolerates whitespace", () => {
      const [condition] = parseFilter(`any( coupon.id , ["a", 'b,c'] )`);
      assert.deepEqual(condition.value, {
        kind: "list",
        items: [
          { kind: "string", value: "a" },
          { kind: "string", value: "b,c" },
        ],
      });
    });

    it("rejoins a date-time whose '+' became a space through form decoding", () => {
      const [condition] = parseFilter("less-than(expires_at,2022-11-08T00:00:00 00:00)");
      assert.deepEqual(condition.value, { kind: "bare", text: "2022-11-08T00:00:00+00:00" });
    });

    const syntaxErrors: Array<[string, RegExp]> = [
      ["", /empty/],
      ["equals(coupon.id,'a'", /'\)'/],
      ["equals(coupon.id 'a')", /','/],
      ["equals(coupon.id,'a)", /unterminated/],
      ["equals(coupon.id,'a')x", /end of filter/],
      ["or(equals(coupon.id,'a'),equals(coupon.id,'b'))", /not supported/],
      ["not(equals(coupon.id,'a'))", /not supported/],
      ["equals(coupon.id,)", /a value/],
      ["equals(coupon.id,'a'),", /operator/],
      ["equals(coupon.id,'a\\", /unterminated|dangling/],
      ["and()", /operator/],
    ];
    for (const [text, detail] of syntaxErrors) {
      it(`rejects ${JSON.stringify(text)} with a 400 on parameter filter`, () => {
        assert.match(filterFailure(text), detail);
      });
    }
  });
});

describe("emulator filters", () => {
  const emulator = useTestEmulator({ rateLimits: { enabled: false } });

  async function seed(): Promise<void> {
    const emu = emulator();
    for (const coupon of ["A", 'Q"U,O)TE', "B"])
      await call(emu, "POST", "/api/coupons", { body: couponBody(coupon) });
    await call(emu, "POST", "/api/coupon-codes", { body: codeBody("A", "A1", "2030-01-01T00:00:00Z") });
    await call(emu, "POST", "/api/coupon-codes", { body: codeBody("A", "A2", "2031-01-01T00:00:00Z") });
    await call(emu, "POST", "/api/coupon-codes", { body: codeBody("B", "B1", "2030-06-01T00:00:00Z") });
    await call(emu, "POST", "/api/coupon-codes", {
      body: codeBody('Q"U,O)TE', "Q1", "2030-01-01T00:00:00Z"),
    });
    emu.control.assignCode("A-A2", "P1");
    emu.control.assignCode("B-B1", "P2");
  }

  const list = (filter: string, path = "/api/coupon-codes") =>
    call(emulator(), "GET", `${path}?filter=${encodeURIComponent(filter)}`);

  describe("GET /api/coupon-codes", () => {
    const cases: Array<[string, string[]]> = [
      [`equals(coupon.id,"A")`, ["A-A1", "A-A2"]],
      [`any(coupon.id,["B","A"])`, ["A-A1", "A-A2", "B-B1"]],
      [`equals(profile.id,'P1')`, ["A-A2"]],
      [`any(profile.id,['P1','P2'])`, ["A-A2", "B-B1"]],
      [`equals(coupon.id,"A"),equals(status,"ASSIGNED_TO_PROFILE")`, ["A-A2"]],
      [`and(equals(coupon.id,"A"),equals(status,"UNASSIGNED"))`, ["A-A1"]],
      [`any(coupon.id,["A","B"]),greater-or-equal(expires_at,2030-06-01T00:00:00Z)`, ["A-A2", "B-B1"]],
      [`any(coupon.id,["A","B"]),greater-than(expires_at,2030-06-01T00:00:00+00:00)`, ["A-A2"]],
      [`any(coupon.id,["A","B"]),less-or-equal(expires_at,"2030-06-01T00:00:00Z")`, ["A-A1", "B-B1"]],
      [`any(coupon.id,["A","B"]),less-than(expires_at,2030-06-01T00:00:00Z)`, ["A-A1"]],
      [String.raw`equals(coupon.id,"Q\"U,O)TE")`, ['Q"U,O)TE-Q1']],
      [String.raw`equals(coupon.id,'Q"U,O)TE')`, ['Q"U,O)TE-Q1']],
      [`equals(coupon.id,"A"),equals(coupon.id,"B")`, []],
      [`equals(coupon.id,"NOPE")`, []],
    ];
    for (const [filter, expected] of cases) {
      it(`selects ${JSON.stringify(expected)} for ${filter}`, async () => {
        await seed();
        const result = await list(filter);
        assert.equal(result.status, 200, JSON.stringify(result.body));
        assert.deepEqual(ids(result.body), expected);
      });
    }

    it("accepts a date-time whose '+' arrived unencoded", async () => {
      await seed();
      const raw = `/api/coupon-codes?filter=equals(coupon.id,"A"),less-than(expires_at,2030-06-01T00:00:00+00:00)`;
      assert.deepEqual(ids((await call(emulator(), "GET", raw)).body), ["A-A1"]);
    });

    const rejections: Array<[string, RegExp]> = [
      [`equals(status,"UNASSIGNED")`, /requires a coupon.id or profile.id/],
      [`equals(unique_code,"A1")`, /not a filterable field/],
      [`contains(coupon.id,"A")`, /not allowed/],
      [`equals(expires_at,2030-01-01T00:00:00Z)`, /not allowed/],
      [`any(status,["USED"])`, /not allowed/],
      [`equals(coupon.id,["A"])`, /single value/],
      [`any(coupon.id,"A")`, /non-empty list/],
      [`any(coupon.id,[])`, /non-empty list/],
      [`equals(coupon.id,A)`, /quoted string/],
      [`equals(coupon.id,"A"),equals(status,"unassigned")`, /not a coupon code status/],
      [`equals(coupon.id,"A"),less-than(expires_at,soon)`, /not a valid date-time/],
      [`equals(coupon.id,"A"),less-than(expires_at,2030-02-30T00:00:00Z)`, /not a valid date-time/],
      [`equals(coupon.id,"A"`, /expected/],
    ];
    for (const [filter, detail] of rejections) {
      it(`answers 400 on parameter filter for ${filter}`, async () => {
        const result = await list(filter);
        assert.equal(result.status, 400);
        assert.deepEqual(result.body.errors[0].source, { parameter: "filter" });
        assert.match(result.body.errors[0].detail, detail);
      });
    }

    it("answers 400 when the filter is missing", async () => {
      const result = await call(emulator(), "GET", "/api/coupon-codes");
      assert.deepEqual(result.body.errors[0].source, { parameter: "filter" });
    });
  });

  describe("GET /api/coupons/{id}/coupon-codes and relationships", () => {
    for (const path of ["/api/coupons/A/coupon-codes", "/api/coupons/A/relationships/coupon-codes"]) {
      it(`filters ${path} by status and expires_at without requiring coupon.id`, async () => {
        await seed();
        assert.deepEqual(ids((await list(`equals(status,"UNASSIGNED")`, path)).body), ["A-A1"]);
        assert.deepEqual(ids((await list(`greater-than(expires_at,2030-06-01T00:00:00Z)`, path)).body), [
          "A-A2",
        ]);
        assert.deepEqual(ids((await list(`equals(profile.id,"P1")`, path)).body), ["A-A2"]);
        assert.deepEqual(ids((await list(`equals(coupon.id,"B")`, path)).body), []);
        assert.equal((await list(`equals(status,"queued")`, path)).status, 400);
      });
    }
  });

  describe("GET /api/coupon-code-bulk-create-jobs", () => {
    it("allows only equals(status,<lowercase job status>)", async () => {
      const path = "/api/coupon-code-bulk-create-jobs";
      assert.equal((await list(`equals(status,"complete")`, path)).status, 200);
      for (const bad of [`equals(status,"COMPLETE")`, `equals(coupon.id,"A")`, `any(status,["queued"])`]) {
        const result = await list(bad, path);
        assert.equal(result.status, 400, bad);
        assert.deepEqual(result.body.errors[0].source, { parameter: "filter" });
      }
    });
  });

  describe("endpoints without filters", () => {
    it("answers 400 on parameter filter for GET /api/coupons", async () => {
      const result = await list(`equals(coupon.id,"A")`, "/api/coupons");
      assert.equal(result.status, 400);
      assert.deepEqual(result.body.errors[0].source, { parameter: "filter" });
    });
  });
});
