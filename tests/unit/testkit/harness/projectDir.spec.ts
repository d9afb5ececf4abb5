import * as assert from "assert";
import { promises as fs } from "fs";
import * as path from "path";
import { DEFAULT_PROJECT, REPO_ROOT, makeProjectDir } from "../../../../testkit/harness/projectDir";

describe("projectDir", () => {
  describe("makeProjectDir", () => {
    it("creates a project whose node_modules links this repository as pulumi-klaviyo-coupons", async () => {
      const project = await makeProjectDir();
      try {
        const pkg = JSON.parse(await fs.readFile(path.join(project.dir, "package.json"), "utf8"));
        assert.strictEqual(pkg.name, DEFAULT_PROJECT);
        assert.strictEqual(project.project, DEFAULT_PROJECT);
        const link = path.join(project.dir, "node_modules", "pulumi-klaviyo-coupons");
        assert.strictEqual(await fs.realpath(link), await fs.realpath(REPO_ROOT));
        // Resolution from the project dir must go through the package's exports map, as in a user project.
        const resolved = require.resolve("pulumi-klaviyo-coupons/package.json", { paths: [project.dir] });
        assert.strictEqual(
          await fs.realpath(resolved),
          await fs.realpath(path.join(REPO_ROOT, "package.json")),
        );
        const sdk = require.resolve("@pulumi/pulumi/log/index.js", { paths: [project.dir] });
        assert.ok(sdk.includes(path.join("@pulumi", "pulumi")));
      } finally {
        await project.cleanup();
      }
    });

    it("writes Pulumi.yaml with the requested project name when one is given", async () => {
      const project = await makeProjectDir({ project: "custom-proj" });
      try {
        const yaml = await fs.readFile(path.join(project.dir, "Pulumi.yaml"), "utf8");
        assert.match(yaml, /^name: custom-proj$/m);
        assert.strictEqual(project.project, "custom-proj");
      } finally {
        await project.cleanup();
      }
    });

    it("removes the directory but leaves the linked repository intact when cleaned up", async () => {
      const project = await makeProjectDir();
      await project.cleanup();
      await assert.rejects(fs.stat(project.dir), { code: "ENOENT" });
      await fs.stat(path.join(REPO_ROOT, "package.json"));
      await fs.stat(path.join(REPO_ROOT, "testkit", "harness", "projectDir.ts"));
    });
  });
});
