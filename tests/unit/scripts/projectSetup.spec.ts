import { strict as assert } from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { buildNeeded, ensureBuilt, ensurePackageLink, PACKAGE_NAME } from "../../../scripts/projectSetup";

/** A fake repository root with a built dist/ and one provider source, older than the build. */
function fakeRepo(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "project-setup-")));
  fs.mkdirSync(path.join(root, "provider", "client"), { recursive: true });
  fs.mkdirSync(path.join(root, "dist", "provider"), { recursive: true });
  const source = path.join(root, "provider", "client", "index.ts");
  fs.writeFileSync(source, "export {};\n");
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(source, old, old);
  fs.writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify({
      name: "fake-repository",
      version: "0.1.0",
      main: "dist/provider/index.js",
      exports: {
        ".": "./dist/provider/index.js",
        "./internal/couponHandlers": "./dist/provider/coupon/handlers.js",
      },
    }),
  );
  const built = new Date(Date.now() - 30_000);
  fs.mkdirSync(path.join(root, "dist", "provider", "coupon"), { recursive: true });
  for (const f of ["index.js", "coupon/handlers.js"]) {
    fs.writeFileSync(path.join(root, "dist", "provider", f), "");
    fs.utimesSync(path.join(root, "dist", "provider", f), built, built);
  }
  return root;
}

describe("scripts/projectSetup", () => {
  let root: string;
  beforeEach(() => {
    root = fakeRepo();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  describe("ensurePackageLink", () => {
    const dir = () => path.join(root, "node_modules", PACKAGE_NAME);
    // As the provider host resolves: from a module in the project directory, whose package.json names
    // another package (so Node's self-reference cannot answer and node_modules must).
    const resolveFromRoot = (request: string) =>
      createRequire(path.join(root, "program.js")).resolve(request);

    it("makes pulumi-klaviyo-coupons/internal/couponHandlers resolve to dist/provider from the root, then leaves it alone", () => {
      assert.equal(ensurePackageLink(root), "created");
      assert.equal(
        fs.realpathSync(resolveFromRoot(`${PACKAGE_NAME}/internal/couponHandlers`)),
        path.join(root, "dist", "provider", "coupon", "handlers.js"),
      );
      assert.equal(
        fs.realpathSync(resolveFromRoot(PACKAGE_NAME)),
        path.join(root, "dist", "provider", "index.js"),
      );
      assert.equal(ensurePackageLink(root), "present");
    });

    it("links only dist/, so node_modules holds no cycle back to the repository", () => {
      ensurePackageLink(root);
      assert.ok(!fs.lstatSync(dir()).isSymbolicLink());
      assert.deepEqual(fs.readdirSync(dir()).sort(), ["dist", "package.json"]);
      assert.equal(fs.realpathSync(path.join(dir(), "dist")), path.join(root, "dist"));
    });

    it("refreshes its package.json when the root one changed", () => {
      ensurePackageLink(root);
      const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
      fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ ...pkg, version: "9.9.9" }));
      assert.equal(ensurePackageLink(root), "updated");
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir(), "package.json"), "utf8")).version, "9.9.9");
    });

    it("replaces a symlink, such as one to the repository root", () => {
      fs.mkdirSync(path.join(root, "node_modules"));
      fs.symlinkSync(root, dir());
      assert.equal(ensurePackageLink(root), "created");
      assert.ok(!fs.lstatSync(dir()).isSymbolicLink());
    });

    it("keeps an installed copy of the package (a directory it did not make)", () => {
      fs.mkdirSync(dir(), { recursive: true });
      fs.writeFileSync(
        path.join(dir(), "package.json"),
        JSON.stringify({ name: PACKAGE_NAME, version: "1.0.0" }),
      );
      assert.equal(ensurePackageLink(root), "installed-package");
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir(), "package.json"), "utf8")).version, "1.0.0");
    });
  });

  describe("buildNeeded", () => {
    it("returns undefined when dist/ is newer than every provider source", () => {
      assert.equal(buildNeeded(root), undefined);
    });

    it("names a missing build output", () => {
      fs.rmSync(path.join(root, "dist", "provider", "coupon", "handlers.js"));
      assert.equal(buildNeeded(root), "dist/provider/coupon/handlers.js is missing");
    });

    it("names a provider source changed after the build", () => {
      fs.writeFileSync(path.join(root, "provider", "client", "index.ts"), "export const x = 1;\n");
      assert.equal(
        buildNeeded(root),
        `${path.join("provider", "client", "index.ts")} changed since the last build`,
      );
    });
  });

  describe("ensureBuilt", () => {
    it("does not build when dist/ is current", () => {
      const lines: string[] = [];
      assert.equal(
        ensureBuilt(root, (l) => lines.push(l)),
        undefined,
      );
      assert.deepEqual(lines, []);
    });
  });
});
