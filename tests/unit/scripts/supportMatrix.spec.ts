import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../../scripts/projectSetup";

function read(file: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
}

type Version = [number, number, number];

function parse(version: string): Version {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  assert.ok(match, `not a version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `engines.node` as caret ranges (the only form this package uses): the lowest version of each major. */
function caretRanges(engines: string): Version[] {
  return engines.split("||").map((part) => {
    const match = /^\s*\^(\d+\.\d+\.\d+)\s*$/.exec(part);
    assert.ok(match, `engines.node part "${part}" is not a caret range`);
    return parse(match[1]);
  });
}

function satisfies(version: Version, ranges: Version[]): boolean {
  return ranges.some(
    (low) =>
      version[0] === low[0] && (version[1] > low[1] || (version[1] === low[1] && version[2] >= low[2])),
  );
}

/** Majors `.ci/run` tests, with the exact version `scripts/nodeVersion.sh` pins for each. */
function ciVersions(): Map<number, Version> {
  const run = read(".ci/run");
  const pins = read("scripts/nodeVersion.sh");
  const versions = new Map<number, Version>();
  for (const [, major] of run.matchAll(/scripts\/nodeVersion\.sh (\d+)/g)) {
    const pin = new RegExp(`^NODE_${major}=(\\S+)$`, "m").exec(pins);
    assert.ok(pin, `nodeVersion.sh pins no Node ${major}`);
    versions.set(Number(major), parse(pin[1]));
  }
  return versions;
}

describe("support matrix", () => {
  const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;

  describe("engines.node", () => {
    it("is met by every Node.js version CI tests, and CI tests every major it allows", () => {
      const ranges = caretRanges(engines);
      const ci = ciVersions();
      assert.ok(ci.size >= 1, ".ci/run runs no pinned Node.js");
      for (const [major, version] of ci)
        assert.ok(satisfies(version, ranges), `CI's Node ${version.join(".")} (${major})`);
      assert.deepEqual(
        ranges.map((r) => r[0]),
        [...ci.keys()],
        "every major engines allows is tested by CI, in the same order",
      );
    });

    it("allows no Node.js older than the pinned @pulumi/pulumi requires", () => {
      const pulumi = JSON.parse(read("node_modules/@pulumi/pulumi/package.json")) as {
        engines?: { node?: string };
      };
      const minimum = /^>=\s*(\d+)/.exec(pulumi.engines?.node ?? ">=0");
      assert.ok(minimum, pulumi.engines?.node);
      for (const low of caretRanges(engines))
        assert.ok(low[0] >= Number(minimum[1]), `engines allows Node ${low[0]}`);
    });
  });

  describe("README's Supported versions", () => {
    it("names engines.node and the exact major.minor CI runs", () => {
      const readme = read("README.md");
      const row = readme.split("\n").find((line) => line.startsWith("| Node.js"));
      assert.ok(row, "README has a Node.js row in Supported versions");
      assert.ok(row.includes(engines.replace(/\|/g, "\\|")), row);
      for (const version of ciVersions().values())
        assert.ok(row.includes(`${version[0]}.${version[1]}`), row);
    });
  });
});
