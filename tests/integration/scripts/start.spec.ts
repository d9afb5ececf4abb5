import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CACHE_DIR_ENV } from "../../../scripts/pulumiBuild";
import { REPO_ROOT } from "../../../scripts/projectSetup";

const ROOT = REPO_ROOT;

/** PATH without any directory that holds a `pulumi` or `go` executable. */
function pathWithoutPulumiOrGo(): string {
  const names = ["pulumi", "pulumi.exe", "pulumi.cmd", "go", "go.exe"];
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !names.some((name) => fs.existsSync(path.join(dir, name))))
    .join(path.delimiter);
}

function stackFiles(): string[] {
  return fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
}

describe("scripts/start.ts", () => {
  describe("main", () => {
    it("exits non-zero within seconds with one paragraph on how to install Pulumi when there is no CLI and no go", async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "npm-start-home-"));
      const filesBefore = stackFiles();
      const started = Date.now();
      const child = spawn(process.execPath, ["-r", "ts-node/register", "scripts/start.ts"], {
        cwd: ROOT,
        // Its own process group, so the test can check afterwards that nothing it started survives.
        detached: process.platform !== "win32",
        env: {
          ...process.env,
          // No CLI on PATH, none cached, and no go to build one.
          PATH: pathWithoutPulumiOrGo(),
          HOME: home,
          USERPROFILE: home,
          [CACHE_DIR_ENV]: path.join(home, "cache"),
          TS_NODE_TRANSPILE_ONLY: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      clearTimeout(killer);
      const elapsed = Date.now() - started;
      fs.rmSync(home, { recursive: true, force: true });

      assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
      assert.equal(code, 1, `exit code ${code}\nstdout: ${stdout}\nstderr: ${stderr}`);
      const message = stderr.trim();
      assert.doesNotMatch(message, /\n\s*\n/, "the explanation must be one paragraph");
      const text = message.replace(/\s+/g, " ");
      assert.match(text, /^This needs the Pulumi CLI/);
      assert.match(text, /no `pulumi` command on your PATH; no `go` command to build it/);
      // Commands are never split across lines, so they can be copied.
      assert.ok(message.includes("`curl -fsSL https://get.pulumi.com | sh`"), message);
      assert.ok(message.includes("`brew install pulumi/tap/pulumi`"), message);
      assert.match(text, /run the command again/);
      assert.doesNotMatch(stdout, /emulator|pulumi up/i, "nothing may start before the CLI is found");
      if (process.platform !== "win32") {
        assert.throws(
          () => process.kill(-child.pid!, 0),
          { code: "ESRCH" },
          "a process of the run is still alive",
        );
      }
      assert.deepEqual(stackFiles(), filesBefore, "no stack config file may be left in the repository");
    });
  });
});
