import { strict as assert } from "assert";
import { cellText, csvField, csvRow, renderTable } from "../../../bin/format";
import { parseCsv } from "../../../testkit/cliTestKit";

describe("format", () => {
  describe("csvField", () => {
    it("leaves plain values unquoted and writes null as an empty field", () => {
      assert.equal(csvField("SPRING-0001"), "SPRING-0001");
      assert.equal(csvField(null), "");
      assert.equal(csvField(undefined), "");
    });

    it("quotes commas, quotes, line breaks and edge spaces, doubling quotes", () => {
      assert.equal(csvField('A,"B"'), '"A,""B"""');
      assert.equal(csvField("a\nb"), '"a\nb"');
      assert.equal(csvField("a\rb"), '"a\rb"');
      assert.equal(csvField(" pad"), '" pad"');
      assert.equal(csvField("pad "), '"pad "');
    });
  });

  describe("csvRow", () => {
    it("round-trips awkward values through an RFC 4180 reader", () => {
      const values = ['A,"B"', "multi\r\nline", "", "  both  ", "=SUM(1)", "émoji 🎟"];
      assert.deepEqual(parseCsv(csvRow(values) + csvRow(["x"])), [values, ["x"]]);
    });
  });

  describe("renderTable", () => {
    it("aligns columns, right-aligning numbers, without trailing spaces", () => {
      const text = renderTable(
        [{ header: "NAME" }, { header: "N", right: true }, { header: "NOTE" }],
        [
          ["a", "1", ""],
          ["long", "1,000", "x"],
        ],
      );
      assert.equal(text, "NAME      N  NOTE\na         1\nlong  1,000  x\n");
    });

    it("replaces control characters so a cell cannot break the layout", () => {
      assert.equal(cellText("a\nb\tc\u001b[31m"), "a b c [31m");
      assert.equal(renderTable([{ header: "D" }], [["x\ny"]]), "D\nx y\n");
    });
  });
});
