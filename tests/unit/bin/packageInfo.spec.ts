import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_NAME, packageVersion } from "../../../bin/packageInfo";
import { REPO_ROOT } from "../../../testkit/cliTestKit";

describe("packageInfo", () => {
  describe("packageVersion", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "klaviyo-version-"));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("reads the version of the repository's package.json from the sources", async () => {
      const pkg = JSON.parse(await fs.readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
      assert.equal(packageVersion(), pkg.version);
      assert.equal(packageVersion(path.join(REPO_ROOT, "bin")), pkg.version);
    });

    it("walks up past other packages' and broken package.json files, as from dist/bin", async () => {
      const bin = path.join(dir, "dist", "bin");
      await fs.mkdir(bin, { recursive: true });
      await fs.writeFile(
        path.join(dir, "package.json"),
        JSON.stringify({ name: PACKAGE_NAME, version: "9.8.7" }),
      );
      await fs.writeFile(
        path.join(dir, "dist", "package.json"),
        JSON.stringify({ name: "other", version: "1.0.0" }),
      );
      await fs.writeFile(path.join(bin, "package.json"), "{ not json");
      assert.equal(packageVersion(bin), "9.8.7");
    });

    it("throws naming the package when no package.json of it is found", () => {
      assert.throws(() => packageVersion(dir), new RegExp(`cannot find the package.json of ${PACKAGE_NAME}`));
    });
  });
});
