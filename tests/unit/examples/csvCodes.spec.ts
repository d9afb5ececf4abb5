import { strict as assert } from "assert";
import { parseCsv, readCodesFromCsv } from "../../../examples/csv/csvCodes";
import { createKlaviyoClient } from "../../../provider/client";
import { runCli } from "../../../testkit/cliTestKit";
import { useTestEmulator } from "../../../testkit/emulator";

/** Codes of the coupon exported in the round trip, some needing CSV quoting. */
const EXPORTED = ["RT-1", 'RT,"2"', "RT\n3", "RT-4"];

describe("examples/csv/csvCodes", () => {
  describe("parseCsv", () => {
    it("splits rows on LF and CRLF and cells on commas", () => {
      assert.deepEqual(
        parseCsv("a,b\r\nc,d\ne,f").map((r) => r.cells),
        [
          ["a", "b"],
          ["c", "d"],
          ["e", "f"],
        ],
      );
    });

    it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
      const rows = parseCsv('"x, y","say ""hi""","two\nlines"\nnext');
      assert.deepEqual(rows[0].cells, ["x, y", 'say "hi"', "two\nlines"]);
      assert.deepEqual(rows[1], { line: 3, cells: ["next"] });
    });

    it("ignores a byte-order mark and a final line break", () => {
      assert.deepEqual(parseCsv("\uFEFFcode\nA1\n"), [
        { line: 1, cells: ["code"] },
        { line: 2, cells: ["A1"] },
      ]);
    });

    it("allows spaces around a quoted field", () => {
      assert.deepEqual(parseCsv(' "A1" ,B2')[0].cells, ["A1", "B2"]);
    });

    it("throws naming the line when a quoted field is not closed", () => {
      assert.throws(() => parseCsv('code\n"A1,B2\n'), /line 2: quoted field is not closed/);
    });

    it("throws naming the line when a quote appears inside an unquoted field or after a closing quote", () => {
      assert.throws(() => parseCsv('code\nA"1'), /line 2: unexpected character/);
      assert.throws(() => parseCsv('code\n"A1"x'), /line 2: unexpected character "x"/);
    });
  });

  describe("readCodesFromCsv", () => {
    it("reads the code column when the first row is a header naming it, in any case and position", () => {
      assert.deepEqual(readCodesFromCsv('note,CODE\nfirst,A1\n"second, quoted",B2\n'), ["A1", "B2"]);
    });

    it("reads the first column of every row when there is no header row", () => {
      assert.deepEqual(readCodesFromCsv("A1,x\nB2,y\n"), ["A1", "B2"]);
    });

    it("uses the column given in options", () => {
      assert.deepEqual(readCodesFromCsv("id,voucher\n1,V1\n2,V2", { column: "Voucher" }), ["V1", "V2"]);
    });

    it("reads the unique_code column by default when there is no code column", () => {
      const text =
        "coupon_id,unique_code,status,expires_at,profile_id\nSPRING10,A1,UNASSIGNED,,\nSPRING10,B2,USED,,P1\n";
      assert.deepEqual(readCodesFromCsv(text), ["A1", "B2"]);
    });

    it("prefers a code column to a unique_code column", () => {
      assert.deepEqual(readCodesFromCsv("unique_code,Code\nOLD1,NEW1\n"), ["NEW1"]);
    });

    it("looks only for the column given in options when one is given", () => {
      assert.deepEqual(readCodesFromCsv("unique_code,voucher\nA1,V1\n", { column: "voucher" }), ["V1"]);
      assert.deepEqual(readCodesFromCsv("unique_code\nA1\n", { column: "code" }), ["unique_code", "A1"]);
    });

    describe("with klaviyo-coupons codes --csv", () => {
      const emulator = useTestEmulator({}, { resetBetweenTests: false });
      before(async () => {
        const { url, apiKey, control } = emulator();
        const client = createKlaviyoClient({ apiKey, baseUrl: url });
        await client.createCoupon({ external_id: "ROUNDTRIP", description: null });
        for (const unique_code of EXPORTED) {
          await client.createCouponCode({
            couponId: "ROUNDTRIP",
            unique_code,
            expires_at: "2030-01-01T00:00:00Z",
          });
        }
        control.assignCode("ROUNDTRIP-RT-4", "PROFILE4");
      });

      it("reads a file the command wrote, unchanged, with every code in it", async () => {
        const { url, apiKey } = emulator();
        const env = { KLAVIYO_API_KEY: apiKey, KLAVIYO_BASE_URL: url };
        const all = await runCli(["codes", "--coupon", "ROUNDTRIP", "--csv"], env);
        assert.equal(all.code, 0, all.stderr);
        assert.deepEqual(readCodesFromCsv(all.stdout).sort(), [...EXPORTED].sort());
        const unassigned = await runCli(
          ["codes", "--coupon", "ROUNDTRIP", "--status", "UNASSIGNED", "--csv"],
          env,
        );
        assert.deepEqual(readCodesFromCsv(unassigned.stdout).sort(), EXPORTED.slice(0, 3).sort());
      });
    });

    it("trims cells and skips blank rows", () => {
      assert.deepEqual(readCodesFromCsv('code\n  A1 \n\n , \n"B2"\n'), ["A1", "B2"]);
    });

    it("returns no codes for an empty file or a header alone", () => {
      assert.deepEqual(readCodesFromCsv(""), []);
      assert.deepEqual(readCodesFromCsv("code\n"), []);
    });

    it("throws naming the line of an empty code in a non-blank row", () => {
      assert.throws(() => readCodesFromCsv("code,note\nA1,x\n,y\n"), /line 3: the code is empty/);
    });

    it("throws naming both lines when a code repeats, compared case-insensitively", () => {
      assert.throws(
        () => readCodesFromCsv("code\nAbc1\nB2\nABC1\n"),
        /line 4: ABC1 repeats the code on line 2/,
      );
    });
  });
});
