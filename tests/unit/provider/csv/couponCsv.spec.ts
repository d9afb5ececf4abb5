import { strict as assert } from "assert";
import { readCouponCodes, writeCouponCodes } from "../../../../provider/csv/couponCsv";
import { parseCsv } from "../../../../testkit/cliTestKit";

/** Codes a naive writer or reader would damage: separators, quotes, line breaks, edge spaces. */
const AWKWARD = ['A,"B"', "  padded ", "multi\nline", "cr\r\nlf", "plain", "é🎟", '"quoted"', "=SUM(1)"];

/** The error message `fn` throws (fails when it does not throw). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail("expected an error");
}

describe("couponCsv", () => {
  describe("readCouponCodes", () => {
    it("reads the Coupon Code or Coupon column of Klaviyo's format, in any case, position and padding", () => {
      for (const header of ["Coupon Code", "coupon code", " COUPON CODE ", "Coupon", "coupon"]) {
        const text = `note,${header},channel\nfirst,A1,x\n"second, quoted",B2,y\n`;
        assert.deepEqual(readCouponCodes(text, { format: "klaviyo" }), ["A1", "B2"], header);
        assert.deepEqual(readCouponCodes(text), ["A1", "B2"], `${header} (auto)`);
      }
    });

    it("prefers Coupon Code to Coupon, and Klaviyo's headers to code and unique_code", () => {
      assert.deepEqual(readCouponCodes("Coupon,Coupon Code\nOLD,NEW\n", { format: "klaviyo" }), ["NEW"]);
      assert.deepEqual(readCouponCodes("unique_code,code,Coupon\nU,C,K\n"), ["K"]);
      assert.deepEqual(readCouponCodes("unique_code,Code\nU,C\n"), ["C"]);
    });

    it("reads the unique_code column of a klaviyo-coupons codes --csv export when format is auto", () => {
      const text =
        "coupon_id,unique_code,status,expires_at,profile_id\nSPRING10,A1,UNASSIGNED,,\nSPRING10,B2,USED,,P1\n";
      assert.deepEqual(readCouponCodes(text), ["A1", "B2"]);
    });

    it("reads the column named by the column option, and only that one", () => {
      assert.deepEqual(readCouponCodes("Coupon Code,voucher\nA1,V1\n", { column: " Voucher" }), ["V1"]);
    });

    it("reads one code per line, trimmed, without a header and without quoting, when format is lines", () => {
      const text = '\uFEFFCoupon Code\r\n  A1 \n\n"B2",x\rC3\n';
      assert.deepEqual(readCouponCodes(text, { format: "lines" }), ["Coupon Code", "A1", '"B2",x', "C3"]);
    });

    it("reads a text with no header, comma or quote as one code per line when format is auto", () => {
      assert.deepEqual(readCouponCodes("\uFEFF A1\r\n\r\nB2 \rC3"), ["A1", "B2", "C3"]);
    });

    it("reads the first column of a CSV without a header when format is auto", () => {
      assert.deepEqual(readCouponCodes('A1,x\n"B,2",y\n'), ["A1", "B,2"]);
    });

    it("keeps commas, doubled quotes and line breaks of quoted fields, and quoted edge spaces", () => {
      const text = 'Coupon Code\n"A,1"\n"say ""hi"""\n"two\r\nlines"\n "  padded " \n  trimmed  \n';
      assert.deepEqual(readCouponCodes(text), ["A,1", 'say "hi"', "two\r\nlines", "  padded ", "trimmed"]);
    });

    it("ignores a byte-order mark, blank rows, rows of empty cells and a missing final line break", () => {
      assert.deepEqual(readCouponCodes("\uFEFFCoupon Code,note\r\n\r\nA1,x\r\n , \r\nB2,y"), ["A1", "B2"]);
    });

    it("returns no codes for an empty text, blank lines or a header row alone", () => {
      for (const text of ["", "\n\r\n", "Coupon Code\r\n", "\uFEFF"])
        assert.deepEqual(readCouponCodes(text), []);
      assert.deepEqual(readCouponCodes("Coupon Code\n", { format: "klaviyo" }), []);
      assert.deepEqual(readCouponCodes("", { format: "lines" }), []);
    });

    it("returns repeated codes as they are (the batch's check reports them)", () => {
      assert.deepEqual(readCouponCodes("Coupon Code\nA1\na1\nA1\n"), ["A1", "a1", "A1"]);
    });

    it("throws naming the line where a quoted field opens when it is not closed", () => {
      assert.throws(
        () => readCouponCodes('Coupon Code\nA1\n"B2\nC3\n'),
        /^Error: line 3: a quoted field is not closed$/,
      );
      // The row starts on line 2; the field left open starts on line 3.
      assert.throws(
        () => readCouponCodes('Coupon Code,note,more\nA1,"two\nlines","open\n'),
        /^Error: line 3: a quoted field is not closed$/,
      );
    });

    it("throws naming the line of a quote inside an unquoted field, or of text after a closing quote", () => {
      assert.throws(
        () => readCouponCodes('Coupon Code\nA1\nB"2\n'),
        /^Error: line 3: a quote inside an unquoted/,
      );
      assert.throws(
        () => readCouponCodes('Coupon Code\n"A1"x\n'),
        /^Error: line 2: text after the closing quote/,
      );
      assert.throws(
        () => readCouponCodes('Coupon Code\n"A1" "B"\n'),
        /^Error: line 2: a quote after the closing/,
      );
    });

    it("throws naming the header's line when the klaviyo format finds no Coupon Code or Coupon column", () => {
      assert.throws(
        () => readCouponCodes("\n\ncode,note\nA1,x\n", { format: "klaviyo" }),
        /^Error: line 3: the header row has no "Coupon Code" or "Coupon" column$/,
      );
    });

    it("throws naming the column option when the header row lacks it", () => {
      assert.throws(
        () => readCouponCodes("code,note\nA1,x\n", { column: "voucher" }),
        /^Error: line 1: the header row has no column named "voucher"$/,
      );
    });

    it("throws naming the line of a row with fewer cells than the code column", () => {
      assert.throws(
        () => readCouponCodes("note,Coupon Code\nx,A1\ny\n"),
        /^Error: line 3: the row has 1 cell, but the codes are in column 2$/,
      );
    });

    it("throws naming the line of an empty code, counting the lines inside quoted fields", () => {
      assert.throws(
        () => readCouponCodes('Coupon Code,note\nA1,"two\nlines"\n,x\n'),
        /^Error: line 4: the code \(column 1\) is empty$/,
      );
      assert.throws(() => readCouponCodes('Coupon Code,note\nA1,x\n"  ",y\n'), /^Error: line 3: the code/);
      assert.throws(() => readCouponCodes("A1,x\n,y\n"), /^Error: line 2: the code \(column 1\) is empty$/);
    });

    it("never puts a code or any other cell text in an error message", () => {
      // Every cell holds SECRET except the headers the reader must recognize.
      const malformed: Array<[string, "auto" | "klaviyo"]> = [
        ['Coupon Code\nSECRET1\n"SECRET2\nSECRET3', "auto"],
        ['Coupon Code\nSECRET1"SECRET2\n', "auto"],
        ['Coupon Code\n"SECRET1"SECRET2\n', "auto"],
        ['Coupon Code\n"SECRET1" "SECRET2"\n', "auto"],
        ["SECRET-HEADER,SECRET-NOTE\nSECRET1,SECRET2\n", "klaviyo"],
        ["SECRET-NOTE,Coupon Code\nSECRET1\n", "klaviyo"],
        ["Coupon Code,SECRET-NOTE\n,SECRET1\n", "klaviyo"],
        ["SECRET1,SECRET2\n,SECRET3\n", "auto"],
      ];
      for (const [text, format] of malformed) {
        const message = messageOf(() => readCouponCodes(text, { format }));
        assert.match(message, /^line \d+: /, text);
        assert.doesNotMatch(message, /SECRET/i, text);
      }
    });

    it("throws a TypeError for an unknown format or a column with a format other than auto", () => {
      const bad = (options: object) => () => readCouponCodes("A1", options as never);
      assert.throws(bad({ format: "excel" }), { name: "TypeError", message: /format must be "auto"/ });
      assert.throws(
        bad({ format: "klaviyo", column: "code" }),
        /column cannot be combined with format "klaviyo"/,
      );
      assert.throws(
        bad({ format: "lines", column: "code" }),
        /column cannot be combined with format "lines"/,
      );
      assert.throws(bad({ column: " " }), /column must be a header name/);
    });
  });

  describe("writeCouponCodes", () => {
    it("writes the Coupon Code header and one code per row, each ending in CRLF", () => {
      assert.equal(writeCouponCodes(["A1", "B2"]), "Coupon Code\r\nA1\r\nB2\r\n");
      assert.equal(writeCouponCodes([]), "Coupon Code\r\n");
    });

    it("quotes codes holding a comma, a quote, a line break or edge spaces, and no others", () => {
      const text = writeCouponCodes(['A,"B"', " pad", "a\nb", "=SUM(1)", "plain"], { header: false });
      assert.equal(text, '"A,""B"""\r\n" pad"\r\n"a\nb"\r\n=SUM(1)\r\nplain\r\n');
    });

    it("writes the rows alone with header: false, so pages appended to a header make the whole file", () => {
      const pages = [["A1", "B2"], ["C,3"], []];
      const streamed =
        writeCouponCodes([]) + pages.map((p) => writeCouponCodes(p, { header: false })).join("");
      assert.equal(streamed, writeCouponCodes(pages.flat()));
    });

    it("writes what an independent RFC 4180 reader sees as a Coupon Code column", () => {
      assert.deepEqual(parseCsv(writeCouponCodes(AWKWARD)), [["Coupon Code"], ...AWKWARD.map((c) => [c])]);
    });

    it("writes text readCouponCodes reads back exactly, as klaviyo and as auto", () => {
      const text = writeCouponCodes(AWKWARD);
      assert.deepEqual(readCouponCodes(text, { format: "klaviyo" }), AWKWARD);
      assert.deepEqual(readCouponCodes(text), AWKWARD);
    });

    it("writes one code per line ending in LF when format is lines, read back exactly", () => {
      const codes = ["A1", "B,2", '"C3"', "Coupon"];
      const text = writeCouponCodes(codes, { format: "lines" });
      assert.equal(text, 'A1\nB,2\n"C3"\nCoupon\n');
      assert.deepEqual(readCouponCodes(text, { format: "lines" }), codes);
    });

    it("throws naming the index, not the code, of an empty code or one a list cannot carry", () => {
      assert.throws(() => writeCouponCodes(["A1", " "]), /^Error: codes\[1\] is empty$/);
      assert.throws(
        () => writeCouponCodes(["SECRET", ""], { format: "lines" }),
        /^Error: codes\[1\] is empty$/,
      );
      for (const code of ["SECRET\nX", " SECRET", "SECRET\t"]) {
        const message = messageOf(() => writeCouponCodes(["A1", code], { format: "lines" }));
        assert.match(message, /^codes\[1\] cannot be written one per line/);
        assert.doesNotMatch(message, /SECRET/i);
      }
    });

    it("throws a TypeError for an unknown format", () => {
      assert.throws(() => writeCouponCodes(["A1"], { format: "csv" as never }), {
        name: "TypeError",
        message: 'format must be "klaviyo" or "lines" (got "csv")',
      });
    });
  });
});
