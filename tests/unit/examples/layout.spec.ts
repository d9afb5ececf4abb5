import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../../scripts/projectSetup";

const ROOT = REPO_ROOT;
const EXAMPLES = path.join(ROOT, "examples");
const exampleDirs = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Top-level `key: value` of a Pulumi.yaml (enough for the scalar keys checked here). */
function yamlScalar(file: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:\\s*(.+?)\\s*$`, "m").exec(fs.readFileSync(file, "utf8"));
  return match?.[1];
}

describe("examples layout", () => {
  describe("root Pulumi.yaml", () => {
    it("runs the basic example with the Node.js runtime", () => {
      const file = path.join(ROOT, "Pulumi.yaml");
      assert.equal(yamlScalar(file, "main"), "examples/basic/index.ts");
      assert.match(fs.readFileSync(file, "utf8"), /runtime:\s*\n\s+name: nodejs/);
      assert.ok(fs.existsSync(path.join(ROOT, "examples", "basic", "index.ts")));
    });
  });

  describe("example folders", () => {
    it("include the six documented examples", () => {
      assert.deepEqual(exampleDirs, [
        "basic",
        "csv",
        "generated",
        "pull-request-review",
        "real-account",
        "stock-guard",
      ]);
    });

    for (const name of exampleDirs) {
      const dir = path.join(EXAMPLES, name);
      it(`${name}: has index.ts, a README.md listing every file, and a Pulumi.yaml naming main`, () => {
        // Stack config files (Pulumi.<stack>.yaml) come from running the example, not from the repository.
        const files = fs
          .readdirSync(dir)
          .filter((f) => !/^Pulumi\..+\.yaml$/.test(f))
          .sort();
        assert.ok(files.includes("index.ts") && files.includes("README.md"), `${name}: ${files.join(", ")}`);
        const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
        for (const file of files)
          assert.ok(readme.includes(`\`${file}\``), `${name}/README.md does not list ${file}`);
        assert.match(readme, /## Run it/);
        // Without main, Pulumi would run the library named by the repository's package.json.
        assert.equal(yamlScalar(path.join(dir, "Pulumi.yaml"), "main"), "index.ts");
        assert.equal(yamlScalar(path.join(dir, "Pulumi.yaml"), "name"), `klaviyo-coupons-${name}`);
      });

      it(`${name}: imports the package by name, as a user's program does`, () => {
        const source = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
        assert.match(source, /from "pulumi-klaviyo-coupons"/);
        assert.doesNotMatch(
          source,
          /from "\.\.\/\.\.\//,
          "examples must not reach into the repository's sources",
        );
      });
    }

    it("resolve pulumi-klaviyo-coupons to the built package through its exports (self-reference)", () => {
      const fromExample = require.resolve("pulumi-klaviyo-coupons", {
        paths: [path.join(EXAMPLES, "basic")],
      });
      assert.equal(fromExample, path.join(ROOT, "dist", "provider", "index.js"));
    });
  });

  describe("real-account README", () => {
    it("gives the secret key command and the four scopes", () => {
      const readme = fs.readFileSync(path.join(EXAMPLES, "real-account", "README.md"), "utf8");
      assert.ok(readme.includes("pulumi config set --secret klaviyo:apiKey"));
      for (const scope of ["coupons:read", "coupons:write", "coupon-codes:read", "coupon-codes:write"]) {
        assert.ok(readme.includes(`\`${scope}\``), `missing scope ${scope}`);
      }
      assert.match(readme, /`klaviyo:baseUrl` is not needed/);
    });
  });
});
