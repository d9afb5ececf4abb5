import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CACHE_DIR_ENV,
  cacheRoot,
  cachedCliRoot,
  pinnedCliVersion,
  writeNodejsPlugin,
} from "../../../scripts/pulumiBuild";
import { REPO_ROOT } from "../../../scripts/projectSetup";

const ROOT = REPO_ROOT;

describe("scripts/pulumiBuild", () => {
  describe("pinnedCliVersion", () => {
    it("reads the pkg/v3 version from tools/pulumi-cli/go.mod", () => {
      const goMod = fs.readFileSync(path.join(ROOT, "tools", "pulumi-cli", "go.mod"), "utf8");
      const version = pinnedCliVersion();
      assert.match(version, /^3\.\d+\.\d+$/);
      assert.ok(
        goMod.includes(`github.com/pulumi/pulumi/sdk/v3 v${version}`),
        "sdk/v3 must be pinned to the same version",
      );
    });

    it("refuses a go.mod whose sdk/v3 differs from pkg/v3", () => {
      const goMod =
        "require (\n\tgithub.com/pulumi/pulumi/pkg/v3 v3.274.1\n\tgithub.com/pulumi/pulumi/sdk/v3 v3.273.0 // indirect\n)\n";
      assert.throws(() => pinnedCliVersion(goMod), /pkg\/v3 v3\.274\.1 but sdk\/v3 v3\.273\.0/);
    });
  });

  describe("cacheRoot", () => {
    it("uses the override, then XDG_CACHE_HOME, then ~/.cache on Linux", () => {
      assert.equal(cacheRoot({ [CACHE_DIR_ENV]: "/x/y" }, "linux"), path.resolve("/x/y"));
      assert.equal(
        cacheRoot({ XDG_CACHE_HOME: "/xdg" }, "linux"),
        path.join("/xdg", "pulumi-klaviyo-coupons"),
      );
      assert.equal(cacheRoot({}, "linux"), path.join(os.homedir(), ".cache", "pulumi-klaviyo-coupons"));
      assert.equal(
        cacheRoot({}, "darwin"),
        path.join(os.homedir(), "Library", "Caches", "pulumi-klaviyo-coupons"),
      );
    });

    it("never points inside the repository by default", () => {
      const root = cachedCliRoot(pinnedCliVersion(), {});
      assert.ok(path.relative(ROOT, root).startsWith(".."), root);
    });
  });

  describe("writeNodejsPlugin", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes an executable plugin that starts the dynamic-provider host of the project it runs in", function () {
      if (process.platform === "win32") this.skip();
      writeNodejsPlugin(dir);
      const plugin = path.join(dir, "pulumi-resource-pulumi-nodejs");
      assert.ok(fs.statSync(plugin).mode & 0o100, "executable");
      // In this repository @pulumi/pulumi resolves: the host starts and, given no engine address, exits 255.
      const inProject = spawnSync(plugin, [], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
      assert.equal(inProject.status, 255, inProject.stderr);
      // Where it does not resolve, the plugin fails instead of starting something else.
      const elsewhere = spawnSync(plugin, [], { cwd: dir, encoding: "utf8", timeout: 30_000 });
      assert.equal(elsewhere.status, 1);
      assert.match(elsewhere.stderr, /Cannot find module '@pulumi\/pulumi\/cmd\/dynamic-provider'/);
    });
  });
});
