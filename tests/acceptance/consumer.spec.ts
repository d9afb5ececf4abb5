import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/projectSetup";
import {
  codeBlocks,
  lockedVersion,
  npm,
  packPackage,
  run,
  tempDir,
  tsc,
  writePulumiProject,
  type CodeBlock,
} from "./consumerProject";
import { acceptanceCli, CLI_BUILD_TIMEOUT_MS, realEngineSkipReason } from "./realEngine";

const EXAMPLES = path.join(REPO_ROOT, "examples");
const PACKAGE = "pulumi-klaviyo-coupons";

/** Markdown files a user reads from the installed package, whose TypeScript must compile as written. */
const DOCS = [
  "README.md",
  "emulator/README.md",
  ...fs.readdirSync(path.join(REPO_ROOT, "docs")).map((f) => `docs/${f}`),
];

/** Blocks that are whole programs or modules: they import the package. */
function programBlocks(): CodeBlock[] {
  return DOCS.flatMap(codeBlocks).filter((b) => b.lang === "ts" && b.code.includes(`from "${PACKAGE}`));
}

/** The README's Getting started program and the shell blocks around it. */
function gettingStarted(): { program: string; offline: string } {
  const blocks = codeBlocks("README.md").filter((b) => b.heading === "Getting started");
  const program = blocks.find((b) => b.lang === "ts");
  const offline = blocks.find((b) => b.lang === "sh" && b.code.includes("klaviyo-emulator"));
  assert.ok(
    program && offline,
    "README's Getting started has a ts program and an sh block with klaviyo-emulator",
  );
  return { program: program.code, offline: offline.code };
}

describe("acceptance: the packed package in a new user's project", function () {
  this.timeout(600_000);
  let consumer = "";
  let packed: string[] = [];

  before(async function () {
    this.timeout(600_000);
    assert.ok(
      fs.existsSync(path.join(REPO_ROOT, "dist/provider/index.js")),
      "npm test builds dist/ before the specs",
    );
    const work = tempDir("klaviyo-consumer-");
    const pack = await packPackage(work);
    packed = pack.files;
    consumer = path.join(work, "project");
    writePulumiProject(consumer, "coupons", gettingStarted().program);
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "coupons", private: true }));
    // @types/mocha: the emulator README shows a mocha test, as a user writing tests would have it.
    const deps = ["@pulumi/pulumi", "typescript", "@types/node", "@types/mocha"].map(
      (d) => `${d}@${lockedVersion(d)}`,
    );
    await npm(["install", "--prefer-offline", pack.tarball, ...deps], consumer);
  });

  after(() => {
    if (consumer) fs.rmSync(path.dirname(consumer), { recursive: true, force: true });
  });

  describe("npm pack", () => {
    it("ships the built code, both commands, LICENSE, and every file the README and docs link to", () => {
      for (const file of [
        "dist/provider/index.js",
        "dist/provider/index.d.ts",
        "dist/bin/klaviyoCoupons.js",
      ]) {
        assert.ok(packed.includes(file), file);
      }
      assert.ok(packed.includes("dist/emulator/cli.js") && packed.includes("LICENSE"));
      assert.deepEqual(
        packed.filter(
          (f) =>
            f.startsWith("tests/") ||
            f.startsWith("testkit/") ||
            (/\.ts$/.test(f) && !/\.d\.ts$/.test(f) && !f.startsWith("examples/")),
        ),
        [],
        "no tests and no TypeScript sources outside examples/",
      );
      const broken: string[] = [];
      for (const doc of packed.filter((f) => f.endsWith(".md"))) {
        // Code is not prose: `f(...)` in a fenced block or inline code is no link.
        const text = fs
          .readFileSync(path.join(REPO_ROOT, doc), "utf8")
          .replace(/^```[\s\S]*?^```/gm, "")
          .replace(/`[^`\n]*`/g, "");
        for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
          if (/^[a-z]+:/i.test(target)) continue;
          const file = path.posix
            .normalize(path.posix.join(path.posix.dirname(doc), target))
            .replace(/\/$/, "");
          if (!packed.includes(file) && !packed.some((f) => f.startsWith(`${file}/`)))
            broken.push(`${doc}: ${target}`);
        }
      }
      assert.deepEqual(broken, [], "links that would be dead in the installed package");
    });
  });

  describe("typechecking with the tsconfig of pulumi new typescript", () => {
    it("compiles every program in the README and the docs", async () => {
      const blocks = programBlocks();
      assert.ok(blocks.length >= 2, `${blocks.length} program blocks found`);
      for (const [i, block] of blocks.entries()) {
        const dir = path.join(consumer, "docs-blocks", String(i));
        writePulumiProject(dir, `block-${i}`, block.code);
        await tsc(consumer, dir, ["--noEmit"]).catch((err: Error) =>
          assert.fail(`${block.file} (${block.heading}): ${err.message}`),
        );
      }
    });

    for (const name of fs
      .readdirSync(EXAMPLES)
      .filter((f) => fs.existsSync(path.join(EXAMPLES, f, "index.ts")))) {
      it(`compiles examples/${name}`, async () => {
        const dir = path.join(consumer, "examples", name);
        fs.cpSync(path.join(EXAMPLES, name), dir, { recursive: true });
        writePulumiProject(dir, name, fs.readFileSync(path.join(EXAMPLES, name, "index.ts"), "utf8"));
        await tsc(consumer, dir, ["--noEmit"]);
      });
    }
  });

  const skipReason = realEngineSkipReason();
  (skipReason ? describe.skip : describe)(
    `Getting started, with the real Pulumi CLI${skipReason ? ` (skipped: ${skipReason})` : ""}`,
    () => {
      it("runs the README's program against the emulator started by the package's own klaviyo-emulator", async function () {
        this.timeout(CLI_BUILD_TIMEOUT_MS);
        const cli = await acceptanceCli();
        const { offline } = gettingStarted();
        const emulator = await startPackageEmulator(consumer, offline);
        try {
          await gettingStartedUp(consumer, cli.command, offline, emulator.url);
        } finally {
          emulator.child.kill("SIGINT");
        }
      });
    },
  );
});

/** Runs the README's `npx klaviyo-emulator --port 4010` in the project, on a free port instead. */
async function startPackageEmulator(
  project: string,
  offline: string,
): Promise<{ child: ChildProcess; url: string }> {
  const line = offline.split("\n").find((l) => l.startsWith("npx klaviyo-emulator"));
  assert.ok(line, "README runs the emulator with npx klaviyo-emulator");
  const args = line
    .replace(/#.*$/, "")
    .trim()
    .split(/\s+/)
    .slice(2)
    .map((a) => (a === "4010" ? "0" : a));
  const child = spawn(bin(project, "klaviyo-emulator"), args, {
    cwd: project,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (d: Buffer) => {
      text += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`klaviyo-emulator exited with ${code}: ${text}`)));
  });
  return { child, url };
}

/** The inline-program runner: the user's own `@pulumi/pulumi`, no language host needed. */
const RUNNER = `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
(async () => {
  const pulumiCommand = await PulumiCommand.get({ root: process.env.CLI_ROOT, skipVersionCheck: true });
  const program = async () => ({ ...require("./bin/index.js") });
  const stack = await LocalWorkspace.selectStack({ stackName: "dev", projectName: "coupons", program }, { workDir: __dirname, pulumiCommand });
  const onOutput = (s) => process.stdout.write(s);
  if (process.argv[2] === "destroy") return void (await stack.destroy({ onOutput }));
  const { outputs } = await stack.up({ onOutput });
  console.log("OUTPUTS " + JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.value]))));
})().catch((err) => { console.error(err); process.exit(1); });
`;

async function gettingStartedUp(
  project: string,
  pulumi: string,
  offline: string,
  url: string,
): Promise<void> {
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${tempDir("klaviyo-consumer-state-")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    CLI_ROOT: path.dirname(path.dirname(pulumi)),
  };
  await run(pulumi, ["stack", "init", "dev", "--non-interactive"], { cwd: project, env });
  const configLines = offline.split("\n").filter((l) => l.startsWith("pulumi config set"));
  assert.equal(configLines.length, 2, offline);
  for (const line of configLines) {
    const args = line
      .replace(/#.*$/, "")
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((a) => a.replace("http://127.0.0.1:4010", url));
    await run(pulumi, args, { cwd: project, env });
  }
  await tsc(project, project);
  fs.writeFileSync(path.join(project, "run.js"), RUNNER);
  const up = await run(process.execPath, ["run.js", "up"], { cwd: project, env });
  const outputs = JSON.parse(/^OUTPUTS (.*)$/m.exec(up.stdout)![1]) as Record<string, unknown>;
  assert.match(up.stdout, /\+ 3 created/);
  assert.deepEqual(outputs.statusCounts, { UNASSIGNED: 5000 });

  // The package's other command reads the same emulator: the pool is there, and nothing printed a code.
  const cliEnv = { ...env, KLAVIYO_BASE_URL: url, KLAVIYO_API_KEY: keyFrom(offline) };
  const stock = await run(
    bin(project, "klaviyo-coupons"),
    ["availability", "--coupon", "SPRING10", "--json"],
    { cwd: project, env: cliEnv },
  );
  assert.equal((JSON.parse(stock.stdout) as { unassigned: number }).unassigned, 5000);
  const listed = await run(bin(project, "klaviyo-coupons"), ["codes", "--coupon", "SPRING10", "--json"], {
    cwd: project,
    env: cliEnv,
  });
  const codes = (JSON.parse(listed.stdout) as Array<{ unique_code: string }>).map((c) => c.unique_code);
  assert.equal(codes.length, 5000);
  const state = (await run(pulumi, ["stack", "export"], { cwd: project, env })).stdout;
  const shown = codes.filter((code) => up.stdout.includes(code) || state.includes(code));
  assert.deepEqual(shown, [], "codes in plain text in the output of pulumi up or in the state");

  await run(process.execPath, ["run.js", "destroy"], { cwd: project, env });
}

function keyFrom(offline: string): string {
  const match = /klaviyo:apiKey (\S+)/.exec(offline);
  assert.ok(match, offline);
  return match[1];
}

/** A command the package installed into the project. */
function bin(project: string, name: string): string {
  return path.join(project, "node_modules", ".bin", name);
}
