import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { CACHE_DIR_ENV, cachedCliRoot } from "../../../scripts/pulumiBuild";
import {
  compareVersions,
  isPulumiCliMissingError,
  missingCliMessage,
  obtainPulumiCli,
  type CliCommands,
} from "../../../scripts/pulumiCli";

const cli = (version: string | undefined, command = "pulumi") =>
  ({ command, version: version ? { version } : null }) as unknown as PulumiCommand;
const notFound = () =>
  Promise.reject(new Error("code: -2\n stderr: Command failed with ENOENT: pulumi version"));

/** Records which calls were made; each call answers as configured. */
function fakeCommands(answers: {
  path?: () => Promise<PulumiCommand>;
  root?: () => Promise<PulumiCommand>;
  go?: boolean;
  build?: () => Promise<string>;
}): CliCommands & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get(root) {
      calls.push(root ? `get ${root}` : "get PATH");
      return (root ? (answers.root ?? notFound) : (answers.path ?? notFound))();
    },
    goAvailable() {
      calls.push("go?");
      return answers.go ?? false;
    },
    build(log) {
      calls.push("build");
      log("building");
      return (answers.build ?? (() => Promise.resolve("/built")))();
    },
  };
}

describe("scripts/pulumiCli", () => {
  let cache: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[CACHE_DIR_ENV];
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "cli-cache-"));
    process.env[CACHE_DIR_ENV] = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CACHE_DIR_ENV];
    else process.env[CACHE_DIR_ENV] = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  describe("obtainPulumiCli", () => {
    it("returns the CLI on PATH without looking further when it is new enough", async () => {
      const onPath = cli("3.274.1");
      const commands = fakeCommands({ path: () => Promise.resolve(onPath) });
      assert.equal(await obtainPulumiCli({ commands }), onPath);
      assert.deepEqual(commands.calls, ["get PATH"]);
    });

    it("passes over a CLI on PATH that is too old and uses the cached build", async () => {
      fs.mkdirSync(path.join(cachedCliRoot(), "bin"), { recursive: true });
      const cached = cli("3.274.1", "/cache/pulumi");
      const commands = fakeCommands({
        path: () => Promise.resolve(cli("3.100.0")),
        root: () => Promise.resolve(cached),
      });
      assert.equal(await obtainPulumiCli({ commands }), cached);
      assert.deepEqual(commands.calls, ["get PATH", `get ${cachedCliRoot()}`]);
    });

    it("builds with go when neither PATH nor the cache has a CLI, and reports progress", async () => {
      const built = cli("3.274.1", "/built/bin/pulumi");
      const lines: string[] = [];
      const commands = fakeCommands({ go: true, root: () => Promise.resolve(built) });
      assert.equal(await obtainPulumiCli({ commands, log: (l) => lines.push(l) }), built);
      assert.deepEqual(commands.calls, ["get PATH", "go?", "build", "get /built"]);
      assert.deepEqual(lines, ["building"]);
    });

    it("rebuilds when the cached build does not run", async () => {
      fs.mkdirSync(path.join(cachedCliRoot(), "bin"), { recursive: true });
      let gets = 0;
      const commands = fakeCommands({
        go: true,
        root: () =>
          gets++ === 0 ? Promise.reject(new Error("exec format error")) : Promise.resolve(cli("3.274.1")),
      });
      const lines: string[] = [];
      await obtainPulumiCli({ commands, log: (l) => lines.push(l) });
      assert.deepEqual(commands.calls, ["get PATH", `get ${cachedCliRoot()}`, "go?", "build", "get /built"]);
      assert.match(lines[0], /does not run \(exec format error\); building it again/);
    });

    it("fails with the explanation when there is no CLI and no go", async () => {
      const commands = fakeCommands({ go: false });
      await assert.rejects(obtainPulumiCli({ commands }), (err: Error) => {
        assert.ok(isPulumiCliMissingError(err));
        assert.match(
          err.message.replace(/\s+/g, " "),
          /\(no `pulumi` command on your PATH; no `go` command to build it from the Go module proxy\)/,
        );
        return true;
      });
      assert.ok(!commands.calls.includes("build"));
    });

    it("fails without building when building is turned off", async () => {
      const commands = fakeCommands({ go: true });
      await assert.rejects(
        obtainPulumiCli({ commands, allowBuild: false }),
        (err: Error) =>
          isPulumiCliMissingError(err) &&
          /building it from the Go module proxy is turned off/.test(err.message.replace(/\s+/g, " ")),
      );
      assert.deepEqual(commands.calls, ["get PATH"]);
    });

    it("reports a failed build with go's last lines", async () => {
      const commands = fakeCommands({
        go: true,
        build: () => Promise.reject(new Error("go build of the Pulumi CLI failed (exit 1)")),
      });
      await assert.rejects(obtainPulumiCli({ commands }), (err: Error) =>
        /building it from the Go module proxy failed: go build of the Pulumi CLI failed \(exit 1\)/.test(
          err.message.replace(/\s+/g, " "),
        ),
      );
    });

    it("says why a CLI on PATH was rejected", async () => {
      const commands = fakeCommands({ path: () => Promise.resolve(cli("3.120.0")) });
      await assert.rejects(obtainPulumiCli({ commands }), (err: Error) =>
        /`pulumi` on your PATH is v3\.120\.0, older than v3\.200\.0/.test(err.message.replace(/\s+/g, " ")),
      );
    });
  });

  describe("compareVersions", () => {
    it("orders versions numerically, not as text", () => {
      assert.ok(compareVersions("3.274.1", "3.200.0") > 0);
      assert.ok(compareVersions("3.99.0", "3.200.0") < 0);
      assert.equal(compareVersions("v3.200.0", "3.200.0"), 0);
      assert.equal(compareVersions("3.200.0-alpha.1", "3.200.0"), 0);
    });
  });

  describe("missingCliMessage", () => {
    it("is one paragraph of lines at most 100 wide, with the commands unbroken", () => {
      const message = missingCliMessage(["no `pulumi` command on your PATH", "no `go` command"]);
      assert.doesNotMatch(message, /\n\s*\n/);
      for (const line of message.split("\n")) assert.ok(line.length <= 100, line);
      assert.ok(message.includes("`curl -fsSL https://get.pulumi.com | sh`"));
      assert.ok(message.includes("`npm run pulumi:install`"));
      assert.match(message.replace(/\s+/g, " "), /\(no `pulumi` command on your PATH; no `go` command\)/);
    });
  });
});
