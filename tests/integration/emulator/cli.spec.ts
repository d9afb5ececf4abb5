import { strict as assert } from "assert";
import { execFile, spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { DEFAULT_TEST_API_KEY, startEmulator, type RunningEmulator } from "../../../emulator";
import { helpText, parseArgs } from "../../../emulator/cli";
import { CLI_OPTIONS } from "../../../emulator/cliOptions";
import { call, couponBody } from "../../../testkit/emulatorHttp";
import { REPO_ROOT } from "../../../scripts/projectSetup";

const REPO = REPO_ROOT;
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string })
  .version;

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

/** Runs the CLI to completion (for flags that exit at once). */
function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args],
    { cwd: REPO, env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" }, encoding: "utf8" },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

/** The tour's curl commands: each starts at a `curl` line and runs to the next blank or comment line. */
function tourCommands(help: string): string[] {
  const commands: string[][] = [];
  let current: string[] | undefined;
  for (const line of help.split("\n")) {
    if (line.startsWith("  curl ")) commands.push((current = []));
    else if (line.trim() === "" || line.trim().startsWith("#")) current = undefined;
    current?.push(line);
  }
  return commands.map((lines) => lines.join("\n"));
}

/** Runs one command in a POSIX shell, as a user pasting it would, and splits off curl's status code. */
function runShell(command: string, env: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", `${command} -w '\\n%{http_code}'`],
      { env: { ...process.env, ...env } },
      (error, out) => {
        if (error) return reject(error);
        const cut = out.lastIndexOf("\n");
        resolve({ status: Number(out.slice(cut + 1)), body: out.slice(0, cut) });
      },
    );
  });
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
          "--api-key=pk_b",
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
          "--max-coupons=7",
        ]),
        {
          port: 0,
          apiKeys: ["pk_a", "pk_b"],
          rateLimits: { enabled: false, scale: 2 },
          jobs: { queuedMs: 1, processingMsPerJob: 2, processingMsPerCode: 0.5, concurrency: 3 },
          couponDelete: "refuse-with-codes",
          limits: { maxCoupons: 7 },
        },
      );
      assert.deepEqual(parseArgs([]), { port: 4010 });
    });

    it("rejects unknown flags, missing values and bad values, naming the flag and what it expects", () => {
      const cases: Array<[string[], RegExp]> = [
        [["--bogus"], /^unknown option '--bogus'$/],
        [["extra"], /^unexpected argument 'extra'/],
        [["--port"], /^--port needs a value: an integer from 0 to 65535$/],
        [["--api-key", "--port", "1"], /^--api-key needs a value/],
        [["--port", "x"], /^--port expects an integer from 0 to 65535, got 'x'$/],
        [["--port=70000"], /^--port expects an integer from 0 to 65535, got '70000'$/],
        [["--port", " "], /^--port expects/],
        [["--host="], /^--host expects a host name or address without spaces, got ''$/],
        [["--rate-limit-scale", "0"], /^--rate-limit-scale expects a number greater than 0/],
        [["--job-queued-ms", "-1"], /^--job-queued-ms expects a number of milliseconds, 0 or more/],
        [["--job-concurrency", "1.5"], /^--job-concurrency expects an integer, 1 or more/],
        [["--max-coupons", "-2"], /^--max-coupons expects an integer, 0 or more/],
        [["--coupon-delete", "nuke"], /^--coupon-delete expects cascade or refuse-with-codes, got 'nuke'$/],
        [["--no-rate-limits=yes"], /^--no-rate-limits takes no value/],
      ];
      for (const [argv, message] of cases) {
        assert.throws(
          () => parseArgs(argv),
          (error: Error) => message.test(error.message),
          argv.join(" "),
        );
      }
    });
  });

  describe("help and version", () => {
    it("--help and -h print the help: every option, the test key, the base URL and the headers", () => {
      for (const flag of ["--help", "-h"]) {
        const result = runCli(["--port", "1", flag]);
        assert.equal(result.status, 0);
        assert.equal(result.stdout, helpText());
      }
      const help = helpText();
      for (const option of CLI_OPTIONS) assert.ok(help.includes(`  ${option.flag}`), option.flag);
      for (const text of [
        DEFAULT_TEST_API_KEY,
        "http://127.0.0.1:4010",
        "Authorization: Klaviyo-API-Key",
        "revision: 2026-07-15",
        "Content-Type: application/vnd.api+json",
        "--version",
      ]) {
        assert.ok(help.includes(text), text);
      }
    });

    it("--version prints the package's version", () => {
      const result = runCli(["--version"]);
      assert.equal(result.status, 0);
      assert.equal(result.stdout, `klaviyo-emulator ${VERSION}\n`);
    });
  });

  describe("as an installed bin", () => {
    it("starts with a shebang, so tsc keeps it in dist/emulator/cli.js", () => {
      const source = fs.readFileSync(path.join(REPO, "emulator", "cli.ts"), "utf8");
      assert.ok(source.startsWith("#!/usr/bin/env node\n"));
    });

    it("imports nothing at run time but Node built-ins and emulator/ itself", () => {
      const files = fs.readdirSync(path.join(REPO, "emulator"), { recursive: true, encoding: "utf8" });
      for (const file of files.filter((name) => name.endsWith(".ts"))) {
        const source = fs.readFileSync(path.join(REPO, "emulator", file), "utf8");
        for (const [, specifier] of source.matchAll(/(?:from|require\()\s*"([^"]+)"/g)) {
          const resolved = path.resolve(path.dirname(path.join(REPO, "emulator", file)), specifier);
          const local =
            specifier.startsWith(".") &&
            (resolved.startsWith(path.join(REPO, "emulator")) ||
              resolved === path.join(REPO, "bin", "packageInfo"));
          assert.ok(local || builtinModules.includes(specifier), `${file} imports ${specifier}`);
        }
      }
    });
  });

  describe("the --help curl tour", () => {
    it("is the same in emulator/README.md", () => {
      const help = helpText().split("\n");
      const tour = help.slice(help.findIndex((line) => line.startsWith("Tour (")) + 1);
      const end = tour.findIndex((line) => line.startsWith("More control"));
      const expected = tour.slice(0, end).join("\n").trim().replace(/^ {2}/gm, "");
      const readme = fs.readFileSync(path.join(REPO, "emulator", "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("### A curl tour"));
      const block = /```sh\n([\s\S]*?)\n```/.exec(section);
      assert.equal(block?.[1], expected);
    });

    let emulator: RunningEmulator;
    beforeEach(async () => (emulator = await startEmulator()));
    afterEach(() => emulator.close());

    it("answers 2xx to every command, in order, against a fresh emulator", async function () {
      if (spawnSync("curl", ["--version"]).error) this.skip();
      const commands = tourCommands(helpText());
      assert.equal(commands.length, 8);
      const env: Record<string, string> = {};
      for (const template of commands) {
        const command = template.split("http://127.0.0.1:4010").join(emulator.url);
        let result = await runShell(command, env);
        assert.ok(result.status >= 200 && result.status < 300, `${result.status} ${result.body}\n${command}`);
        if (command.includes("-X POST") && command.includes("/api/coupon-code-bulk-create-jobs")) {
          env.JOB_ID = JSON.parse(result.body).data.id;
        }
        // The tour says to poll until complete; step 6 needs the job's codes to exist.
        for (let tries = 0; command.includes("$JOB_ID") && !result.body.includes('"complete"'); tries++) {
          assert.ok(tries < 100, `job ${env.JOB_ID} never completed`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          result = await runShell(command, env);
        }
        if (command.includes("/__emulator/counts")) {
          const { coupons, codes, jobs } = JSON.parse(result.body);
          assert.deepEqual({ coupons, codes, jobs }, { coupons: 1, codes: 2, jobs: 1 });
        }
      }
      assert.ok(env.JOB_ID, "the tour has a bulk job");
      assert.equal(emulator.control.counts().coupons, 0, "the last step resets the emulator");
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

    it("exits with status 2 and one line naming the option on a bad flag or value", () => {
      for (const [args, text] of [
        [["--nope"], "unknown option '--nope'"],
        [["--port", "http"], "--port expects an integer from 0 to 65535, got 'http'"],
      ] as const) {
        const result = runCli([...args]);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, "");
        assert.equal(result.stderr, `klaviyo-emulator: ${text} (see klaviyo-emulator --help)\n`);
      }
    });

    it("exits with status 1 and says so when the port is taken", async () => {
      const taken = await startEmulator();
      try {
        const { child } = startCli(["--port", String(taken.port)]);
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        assert.equal(await exitOf(child), 1);
        assert.match(stderr, new RegExp(`^klaviyo-emulator: port ${taken.port} is already in use`));
      } finally {
        await taken.close();
      }
    });
  });
});
