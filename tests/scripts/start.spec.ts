import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PROBE_URL_ENV } from "../../scripts/pulumiCli";

const ROOT = path.resolve(__dirname, "..", "..");

/** PATH without any directory that holds a `pulumi` executable. */
function pathWithoutPulumi(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(
      (dir) => !["pulumi", "pulumi.exe", "pulumi.cmd"].some((name) => fs.existsSync(path.join(dir, name))),
    )
    .join(path.delimiter);
}

/** A local port with nothing listening, so the install probe is refused at once (no network needed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stackFiles(): string[] {
  return fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
}

describe("scripts/start.ts", () => {
  describe("main", () => {
    it("exits non-zero within seconds with one paragraph on how to install Pulumi when there is no CLI", async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "npm-start-home-"));
      const filesBefore = stackFiles();
      const started = Date.now();
      const child = spawn(process.execPath, ["-r", "ts-node/register", "scripts/start.ts"], {
        cwd: ROOT,
        // Its own process group, so the test can check afterwards that nothing it started survives.
        detached: process.platform !== "win32",
        env: {
          ...process.env,
          PATH: pathWithoutPulumi(),
          // No earlier automatic install under ~/.pulumi, and no way to download one.
          HOME: home,
          USERPROFILE: home,
          [PROBE_URL_ENV]: `http://127.0.0.1:${await closedPort()}/install.sh`,
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
      assert.match(text, /^npm start needs the Pulumi CLI/);
      assert.match(text, /no `pulumi` command on your PATH/);
      assert.match(text, /127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED: connection refused\)/);
      // Commands are never split across lines, so they can be copied.
      assert.ok(message.includes("`curl -fsSL https://get.pulumi.com | sh`"), message);
      assert.ok(message.includes("`brew install pulumi/tap/pulumi`"), message);
      assert.match(text, /re-run `npm start`/);
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
