import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import requireFromString = require("require-from-string");
import { couponProvider } from "../../../../provider/coupon/resource";
import { makeProjectDir, type ProjectDir } from "../../../../testkit/harness/projectDir";

const SIZE_BOUND = 8 * 1024;
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

/** Serializes the provider exactly as `dynamic.Resource` does. */
async function serializedText(): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => couponProvider, { allowSecrets: true });
  return serialized.text;
}

describe("couponProvider (serialized)", () => {
  let text: string;
  let project: ProjectDir;

  before(async () => {
    text = await serializedText();
    project = await makeProjectDir();
    // Printed so the size can be tracked over time.
    console.log(`      couponProvider serialized size: ${Buffer.byteLength(text)} bytes`);
  });
  after(async () => {
    await project?.cleanup();
  });

  describe("serializeFunction", () => {
    it(`is smaller than ${SIZE_BOUND} bytes when serialized`, () => {
      assert.ok(Buffer.byteLength(text) < SIZE_BOUND, `${Buffer.byteLength(text)} bytes`);
    });

    it("holds no library objects and no collections that crash after deserialization", () => {
      assert.doesNotMatch(text, /axios/i);
      assert.doesNotMatch(text, /zod/i);
      assert.doesNotMatch(text, /new (Map|Set)\b/);
      assert.doesNotMatch(text, /@pulumi\/pulumi/);
      assert.match(text, /pulumi-klaviyo-coupons\/internal\//);
    });
  });

  describe("require-from-string", () => {
    it("loads the text and handler() returns an object with all seven methods", () => {
      const provider = requireFromString(text, path.join(project.dir, "__provider.js")).handler();
      assert.equal(typeof provider, "object");
      for (const m of METHODS) assert.equal(typeof provider[m], "function", m);
    });

    it("runs the installed implementation when loaded in a project that has the package", async () => {
      const provider = requireFromString(text, path.join(project.dir, "__provider.js")).handler();
      const result = await provider.check({}, { externalId: "SPRING10", lowBalanceThreshold: 5 });
      assert.deepEqual(result, {
        inputs: { externalId: "SPRING10", lowBalanceThreshold: 5, adopt: false },
        failures: [],
      });
    });

    it("explains how to install the package when the project does not have it", async () => {
      const provider = requireFromString(
        text,
        path.join(path.parse(project.dir).root, "__provider.js"),
      ).handler();
      await assert.rejects(
        provider.check({}, { externalId: "SPRING10" }),
        /npm install pulumi-klaviyo-coupons/,
      );
    });
  });
});
