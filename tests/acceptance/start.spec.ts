import { strict as assert } from "assert";
import { execFile, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import { REPO_ROOT } from "../../scripts/projectSetup";
import { acceptanceCli, CLI_BUILD_TIMEOUT_MS, realEngineSkipReason } from "./realEngine";

function stackFiles(): string[] {
  return fs.readdirSync(REPO_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
}

/** `npm start -- <args>`, as the README runs it (without npm's own wrapper). */
function start(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["-r", "ts-node/register", "scripts/start.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (d) => (text += d));
  child.stderr!.on("data", (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output: () => text, exited };
}

function sh(script: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("sh", ["-c", script], { cwd: REPO_ROOT }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

const skipReason = realEngineSkipReason();

(skipReason ? describe.skip : describe)(
  `acceptance: npm start with the real Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  function () {
    this.timeout(300_000);
    before(async function () {
      this.timeout(CLI_BUILD_TIMEOUT_MS);
      await acceptanceCli(); // built once here, so the runs below find it in the cache
    });

    describe("without flags", () => {
      it("previews, applies, prints the outputs and the availability table, destroys and leaves nothing behind", async () => {
        const filesBefore = stackFiles();
        const run = start([]);
        const code = await run.exited;
        const out = run.output();
        assert.equal(code, 0, out);
        assert.doesNotMatch(out, /Building the Pulumi CLI/, "the cached CLI is reused");
        assert.match(out, /Previewing update/);
        assert.match(out, /Resources:\s+\+ 3 created/);
        assert.match(out, /Stack outputs:[\s\S]*codeCount\s+8/);
        assert.match(out, /Code availability of coupon SPRING10[\s\S]*UNASSIGNED\s+8/);
        assert.match(out, /Resources:\s+- 3 deleted/);
        assert.deepEqual(stackFiles(), filesBefore);
      });
    });

    describe("--keep", () => {
      it("keeps stack and emulator until Ctrl-C, and the commands it prints work", async () => {
        const run = start(["--keep"]);
        try {
          const deadline = Date.now() + 120_000;
          while (!run.output().includes("Press Ctrl-C to destroy")) {
            assert.ok(Date.now() < deadline, run.output());
            await new Promise((r) => setTimeout(r, 200));
          }
          const printed = run.output().split("--keep:")[1];
          const commands = printed
            .split("\n")
            .filter((l) => /^ {4}/.test(l) && !l.includes("Ctrl-C"))
            .map((l) => l.trim())
            .join("\n")
            .replace(/<code>/, "SPRING-7KQ2M9");
          const out = await sh(`set -e\n${commands}`);
          assert.match(out, /"ASSIGNED_TO_PROFILE": 1/);
        } finally {
          run.child.kill("SIGINT");
        }
        assert.equal(await run.exited, 0, run.output());
        assert.match(run.output(), /Emulator stopped/);
      });
    });
  },
);
