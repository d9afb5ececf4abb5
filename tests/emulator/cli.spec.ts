import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { parseArgs } from "../../emulator/cli";
import { call, couponBody } from "./http";

const REPO = path.resolve(__dirname, "../..");

function startCli(args: string[]): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args],
    {
      cwd: REPO,
      env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Klaviyo emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  // A CLI that exits early rejects `url`; tests that expect that await the exit code instead.
  url.catch(() => undefined);
  return { child, url, output: () => stdout };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

describe("emulator cli", () => {
  describe("parseArgs", () => {
    it("maps every flag to options", () => {
      assert.deepEqual(
        parseArgs([
          "--port",
          "0",
          "--api-key",
          "pk_a",
          "--api-key",
          "pk_b",
          "--no-rate-limits",
          "--rate-limit-scale",
          "2",
          "--job-queued-ms",
          "1",
          "--job-processing-ms-per-job",
          "2",
          "--job-processing-ms-per-code",
          "0.5",
          "--job-concurrency",
          "3",
          "--coupon-delete",
          "refuse-with-codes",
        ]),
        {
          port: 0,
          apiKeys: ["pk_a", "pk_b"],
          rateLimits: { enabled: false, scale: 2 },
          jobs: { queuedMs: 1, processingMsPerJob: 2, processingMsPerCode: 0.5, concurrency: 3 },
          couponDelete: "refuse-with-codes",
        },
      );
    });

    it("rejects unknown flags and missing values", () => {
      assert.throws(() => parseArgs(["--bogus"]), /unknown option/);
      assert.throws(() => parseArgs(["--port"]), /needs a value/);
      assert.throws(() => parseArgs(["--port", "x"]), /needs a number/);
    });
  });

  describe("process", () => {
    it("prints exactly one line with --port 0, serves, and exits cleanly on SIGTERM", async () => {
      const { child, url, output } = startCli(["--port", "0", "--api-key", "pk_cli"]);
      try {
        const base = await url;
        const created = await call({ url: base, apiKey: "pk_cli" }, "POST", "/api/coupons", {
          body: couponBody("CLI"),
        });
        assert.equal(created.status, 201);
        assert.equal(created.body.data.links.self, `${base}/api/coupons/CLI`);
        const exited = exitOf(child);
        child.kill("SIGTERM");
        assert.equal(await exited, 0);
        assert.equal(output().split("\n").filter(Boolean).length, 1);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    });

    it("exits with status 2 on a bad flag", async () => {
      const { child } = startCli(["--nope"]);
      assert.equal(await exitOf(child), 2);
    });
  });
});
