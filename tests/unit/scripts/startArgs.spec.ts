import { strict as assert } from "assert";
import * as path from "path";
import { REPO_ROOT } from "../../../scripts/projectSetup";
import { parseStartArgs, runnableExamples } from "../../../scripts/startArgs";

describe("scripts/startArgs", () => {
  describe("parseStartArgs", () => {
    it("runs the root project and cleans up when given no arguments", () => {
      assert.deepEqual(parseStartArgs([]), {
        keep: false,
        help: false,
        example: undefined,
        projectDir: REPO_ROOT,
      });
    });

    it("accepts --keep, --help and --example in both spellings", () => {
      const args = parseStartArgs(["--keep", "--example", "csv", "-h"]);
      assert.deepEqual(args, {
        keep: true,
        help: true,
        example: "csv",
        projectDir: path.join(REPO_ROOT, "examples", "csv"),
      });
      assert.equal(parseStartArgs(["--example=generated"]).example, "generated");
    });

    it("rejects an unknown example, listing the runnable ones", () => {
      assert.throws(
        () => parseStartArgs(["--example", "nope"]),
        /No runnable example "nope"; choose one of: basic, csv/,
      );
    });

    it("rejects unknown arguments and a missing example name", () => {
      assert.throws(() => parseStartArgs(["--force"]), /Unknown argument "--force"/);
      assert.throws(() => parseStartArgs(["--example"]), /--example needs a name/);
    });
  });

  describe("runnableExamples", () => {
    it("lists the example folders that have a Pulumi.yaml", () => {
      assert.deepEqual(runnableExamples(), [
        "basic",
        "csv",
        "generated",
        "pull-request-review",
        "real-account",
        "stock-guard",
      ]);
    });
  });
});
