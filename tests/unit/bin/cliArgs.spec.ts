import { strict as assert } from "assert";
import { parseCommand, wholeNumberOption, type OptionSpecs } from "../../../bin/cliArgs";
import { exitCodeOf } from "../../../bin/cliIo";

const OPTIONS: OptionSpecs = {
  coupon: { type: "string", expects: "a coupon ID" },
  min: { type: "string", expects: "a whole number >= 0" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** The message of the usage error `fn` throws (exit 2), without the help hint. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.equal(exitCodeOf(e), 2, String(e));
    return (e as Error).message.replace(/ \(see 'klaviyo-coupons test --help'\)$/, "");
  }
  assert.fail("expected a usage error");
}

describe("cliArgs", () => {
  describe("parseCommand", () => {
    it("returns the values of the options given", () => {
      assert.deepEqual(parseCommand("test", ["--coupon", "A", "--json", "--min=3"], OPTIONS), {
        coupon: "A",
        json: true,
        min: "3",
      });
    });

    it("gives an option a value starting with a dash unless it is one of the command's options", () => {
      assert.deepEqual(parseCommand("test", ["--min", "-5", "--coupon", "-X"], OPTIONS), {
        min: "-5",
        coupon: "-X",
      });
      assert.equal(
        usage(() => parseCommand("test", ["--coupon", "--json"], OPTIONS)),
        "--coupon needs a value: a coupon ID (it is followed by --json)",
      );
      assert.equal(
        usage(() => parseCommand("test", ["--coupon", "-h"], OPTIONS)),
        "--coupon needs a value: a coupon ID (it is followed by -h)",
      );
    });

    it("names the option and what it expects when the value is missing or empty", () => {
      assert.equal(
        usage(() => parseCommand("test", ["--min"], OPTIONS)),
        "--min needs a value: a whole number >= 0",
      );
      assert.equal(
        usage(() => parseCommand("test", ["--coupon="], OPTIONS)),
        '--coupon must be a coupon ID (got "")',
      );
      assert.equal(
        usage(() => parseCommand("test", ["--coupon", " "], OPTIONS)),
        '--coupon must be a coupon ID (got " ")',
      );
    });

    it("rejects unknown options, stray arguments and flags given a value in its own words", () => {
      assert.equal(
        usage(() => parseCommand("test", ["--colour"], OPTIONS)),
        "unknown option '--colour'",
      );
      assert.equal(
        usage(() => parseCommand("test", ["-5"], OPTIONS)),
        "unknown option '-5'",
      );
      assert.equal(
        usage(() => parseCommand("test", ["extra"], OPTIONS)),
        "unexpected argument 'extra'",
      );
      assert.equal(
        usage(() => parseCommand("test", ["--", "--json"], OPTIONS)),
        "unexpected argument '--json'",
      );
      assert.equal(
        usage(() => parseCommand("test", ["--json=yes"], OPTIONS)),
        '--json takes no value (got "yes")',
      );
    });
  });

  describe("wholeNumberOption", () => {
    it("reads digits as a number and leaves an absent option undefined", () => {
      assert.equal(wholeNumberOption("test", { min: "0" }, "min"), 0);
      assert.equal(wholeNumberOption("test", { min: "0500" }, "min"), 500);
      assert.equal(wholeNumberOption("test", {}, "min"), undefined);
    });

    it("rejects anything else, naming the option, the value and what is expected", () => {
      for (const raw of ["-5", "1.5", "ten", "1e3", "+3", " 3", "99999999999999999999"]) {
        assert.equal(
          usage(() => wholeNumberOption("test", { min: raw }, "min")),
          `--min must be a whole number >= 0 (got ${JSON.stringify(raw)})`,
        );
      }
    });
  });
});
