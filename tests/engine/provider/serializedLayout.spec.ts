import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import requireFromString = require("require-from-string");
import { makeProjectDir, type ProjectDir } from "../../../testkit/harness/projectDir";
import { REPO_ROOT } from "../../../scripts/projectSetup";

/**
 * The `__provider` texts that release 0.1.0 wrote into every stack, captured before the source tree was
 * regrouped into folders. Stacks keep them until their resources are next updated, so they must keep
 * loading the installed implementation through `pulumi-klaviyo-coupons/internal/<name>`.
 */
const RELEASED = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "serializedProviders-0.1.0.json"), "utf8"),
) as { coupon: string; batch: string };

describe("serialized providers of release 0.1.0", () => {
  let project: ProjectDir;
  before(async () => (project = await makeProjectDir()));
  after(async () => project?.cleanup());

  const load = (text: string) => requireFromString(text, path.join(project.dir, "__provider.js")).handler();

  describe("Coupon", () => {
    it("runs the installed check through internal/couponHandlers", async () => {
      assert.match(RELEASED.coupon, /moduleName: "couponHandlers"|"couponHandlers"/);
      const result = await load(RELEASED.coupon).check(
        {},
        { externalId: "SPRING10", lowBalanceThreshold: 5 },
      );
      assert.deepEqual(result, {
        inputs: { externalId: "SPRING10", lowBalanceThreshold: 5, adopt: false },
        failures: [],
      });
    });

    it("runs the installed check's validation, naming the property", async () => {
      const result = await load(RELEASED.coupon).check({}, { externalId: "" });
      assert.equal(result.failures[0].property, "externalId");
    });
  });

  describe("CouponCodeBatch", () => {
    it("runs the installed check through internal/batchHandlers", async () => {
      assert.match(RELEASED.batch, /"batchHandlers"/);
      const result = await load(RELEASED.batch).check(
        {},
        { couponId: "SPRING10", codes: ["A1B2C3", "D4E5F6"] },
      );
      assert.deepEqual(result.failures, []);
      assert.equal(result.inputs.couponId, "SPRING10");
    });

    it("runs the installed diff", async () => {
      const provider = load(RELEASED.batch);
      const { inputs } = await provider.check({}, { couponId: "SPRING10", codes: ["A1B2C3"] });
      const diff = await provider.diff("SPRING10", { ...inputs }, { ...inputs, couponId: "OTHER" });
      assert.ok(diff.replaces.includes("couponId"), JSON.stringify(diff));
    });
  });
});
