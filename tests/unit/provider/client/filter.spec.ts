import { strict as assert } from "assert";
import { filter, quoteFilterString } from "../../../../provider/client/filter";

// Reads a quoted string back the way the emulator (and Klaviyo) do: a backslash escapes the next char.
function unquote(text: string): { value: string; rest: string } {
  assert.equal(text[0], '"');
  let value = "";
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "\\") value += text[++i];
    else if (text[i] === '"') return { value, rest: text.slice(i + 1) };
    else value += text[i];
  }
  throw new Error("unterminated");
}

describe("filter", () => {
  describe("quoteFilterString", () => {
    it("escapes backslashes and double quotes so the value round-trips", () => {
      for (const raw of ['a"b,c)', "x\\", '\\"', "it's", "(),[]", ""]) {
        const { value, rest } = unquote(quoteFilterString(raw));
        assert.equal(value, raw);
        assert.equal(rest, "");
      }
    });
  });

  describe("equals", () => {
    it("quotes string values with double quotes", () => {
      assert.equal(filter.equals("coupon.id", "10OFF"), 'equals(coupon.id,"10OFF")');
    });

    it("escapes quotes, so commas and parentheses stay inside the value", () => {
      assert.equal(filter.equals("coupon.id", 'a"b,c)'), 'equals(coupon.id,"a\\"b,c)")');
    });

    it("cannot be closed early by a value ending in a backslash", () => {
      const expr = filter.equals("coupon.id", "x\\");
      assert.equal(expr, 'equals(coupon.id,"x\\\\")');
      const { value, rest } = unquote(expr.slice("equals(coupon.id,".length));
      assert.equal(value, "x\\");
      assert.equal(rest, ")");
    });

    it("writes dates unquoted as ISO strings", () => {
      assert.equal(
        filter.equals("expires_at", new Date(Date.UTC(2030, 0, 2))),
        "equals(expires_at,2030-01-02T00:00:00.000Z)",
      );
    });

    it("writes numbers and booleans unquoted", () => {
      assert.equal(filter.equals("n", 3), "equals(n,3)");
      assert.equal(filter.equals("b", false), "equals(b,false)");
    });

    it("rejects field names that could inject syntax", () => {
      assert.throws(() => filter.equals("coupon.id,x", "a"), TypeError);
      assert.throws(() => filter.equals("a)", "a"), TypeError);
      assert.throws(() => filter.equals("", "a"), TypeError);
    });

    it("rejects non-finite numbers", () => {
      assert.throws(() => filter.equals("n", Number.NaN), TypeError);
    });
  });

  describe("any", () => {
    it("lists quoted values in brackets", () => {
      assert.equal(filter.any("coupon.id", ["A", 'B",]']), 'any(coupon.id,["A","B\\",]"])');
    });

    it("rejects an empty list", () => {
      assert.throws(() => filter.any("coupon.id", []), TypeError);
    });
  });

  describe("comparisons", () => {
    it("writes each operator with an unquoted date-time", () => {
      const d = "2022-11-08T00:00:00+00:00";
      assert.equal(filter.greaterOrEqual("expires_at", d), `greater-or-equal(expires_at,${d})`);
      assert.equal(filter.greaterThan("expires_at", d), `greater-than(expires_at,${d})`);
      assert.equal(filter.lessOrEqual("expires_at", d), `less-or-equal(expires_at,${d})`);
      assert.equal(
        filter.lessThan("expires_at", new Date(0)),
        "less-than(expires_at,1970-01-01T00:00:00.000Z)",
      );
    });

    it("rejects strings that are not date-times", () => {
      for (const bad of [
        "tomorrow",
        "2022-11-08",
        "2022-11-08T00:00:00",
        "2022-13-40T00:00:00Z",
        '2022-11-08T00:00:00Z"),x(',
      ]) {
        assert.throws(() => filter.lessThan("expires_at", bad), TypeError, bad);
      }
      assert.throws(() => filter.lessThan("expires_at", new Date(Number.NaN)), TypeError);
    });
  });

  describe("and", () => {
    it("combines expressions", () => {
      assert.equal(
        filter.and(filter.equals("coupon.id", "A"), filter.equals("status", "UNASSIGNED")),
        'and(equals(coupon.id,"A"),equals(status,"UNASSIGNED"))',
      );
    });

    it("returns a single expression unchanged", () => {
      assert.equal(filter.and('equals(coupon.id,"A")'), 'equals(coupon.id,"A")');
    });

    it("rejects no expressions or empty ones", () => {
      assert.throws(() => filter.and(), TypeError);
      assert.throws(() => filter.and(""), TypeError);
    });
  });
});
