import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { cloneWorkingTree, lockedVersion, npm, run, tempDir } from "./consumerProject";

const PACKAGE = "pulumi-klaviyo-coupons";

/** A project that installs the package from `spec` (a path or a git URL) next to `@pulumi/pulumi`. */
async function installInNewProject(work: string, spec: string): Promise<string> {
  const project = path.join(work, `project-${fs.readdirSync(work).length}`);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "coupons", private: true }));
  await npm(
    ["install", "--prefer-offline", spec, `@pulumi/pulumi@${lockedVersion("@pulumi/pulumi")}`],
    project,
  );
  return project;
}

/** What a user's program and shell get from the installed package. */
async function assertWorks(project: string): Promise<void> {
  const loaded = await run(
    process.execPath,
    ["-e", `const k = require("${PACKAGE}"); console.log(typeof k.Coupon, typeof k.CouponCodeBatch)`],
    { cwd: project },
  );
  assert.equal(loaded.stdout.trim(), "function function");
  const help = await run(path.join(project, "node_modules", ".bin", "klaviyo-coupons"), ["--help"], {
    cwd: project,
  });
  assert.match(help.stdout, /Usage: klaviyo-coupons/);
  const emulator = await run(path.join(project, "node_modules", ".bin", "klaviyo-emulator"), ["--help"], {
    cwd: project,
  });
  assert.match(emulator.stdout, /Usage: klaviyo-emulator/);
}

describe("acceptance: installing from a git clone", function () {
  this.timeout(600_000);
  let work = "";
  let clone = "";

  before(async () => {
    work = tempDir("klaviyo-install-");
    clone = path.join(work, "pulumi-klaviyo-coupons");
    await cloneWorkingTree(clone);
    assert.ok(!fs.existsSync(path.join(clone, "dist")) && !fs.existsSync(path.join(clone, "node_modules")));
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  describe("npm install <path-to-clone>", () => {
    it("builds dist/ in the clone (installing its build tools first) and the package, its types and commands work", async () => {
      const project = await installInNewProject(work, clone);
      assert.ok(fs.existsSync(path.join(clone, "dist", "provider", "index.js")), "prepare built dist/");
      assert.ok(fs.existsSync(path.join(clone, "dist", "provider", "index.d.ts")));
      await assertWorks(project);
    });
  });

  describe("npm install git+file://<clone>", () => {
    it("installs a packed copy (dist/, LICENSE, no sources) that works, as a git URL of a tag would", async () => {
      const git = (args: string[]) => run("git", args, { cwd: clone });
      await git(["init", "-q"]);
      await git(["add", "-A"]);
      // dist/ and node_modules/ from the previous test are ignored by .gitignore, as in a real repository.
      await git(["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "release"]);
      const project = await installInNewProject(work, `git+file://${clone}`);
      const installed = path.join(project, "node_modules", PACKAGE);
      assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "a copy, not a link");
      for (const file of ["dist/provider/index.js", "dist/provider/index.d.ts", "LICENSE", "README.md"]) {
        assert.ok(fs.existsSync(path.join(installed, file)), file);
      }
      assert.ok(!fs.existsSync(path.join(installed, "provider")), "the TypeScript sources are not shipped");
      await assertWorks(project);
    });
  });
});
