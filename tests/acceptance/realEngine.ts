/**
 * What the acceptance specs share: the real Pulumi CLI (found, or built from the Go module proxy), the
 * emulator, and a throwaway stack whose program runs inline (`scripts/inlineProgram.ts`) in a
 * user-like project directory.
 *
 * @packageDocumentation
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { PulumiCommand, PulumiFn } from "@pulumi/pulumi/automation";
import { cachedCliRoot } from "../../scripts/pulumiBuild";
import { obtainPulumiCli } from "../../scripts/pulumiCli";
import { ensureBuilt, ensurePackageLink, REPO_ROOT } from "../../scripts/projectSetup";
import { createThrowawayStack, type ThrowawayStack } from "../../scripts/throwawayStack";
import { makeProjectDir, type ProjectDir } from "../../testkit/harness/projectDir";
import { startTestEmulator, type TestEmulator } from "../../testkit/emulator";
import type { EmulatorOptions } from "../../emulator";
import { listCouponCodes } from "../../provider/batch/listing";
import type { LiveCode } from "../../provider/batch/mappers";
import { createKlaviyoClient } from "../../provider/client";

/** The package as a user's program imports it (the built `dist/`, through `node_modules`). */
export type Klaviyo = typeof import("../../provider");

/** Loads `pulumi-klaviyo-coupons` the way a user's program does. */
export function loadPackage(): Klaviyo {
  return require("pulumi-klaviyo-coupons") as Klaviyo;
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why the real-engine specs cannot run here, or `undefined` when they can: a `pulumi` on PATH, a cached
 * build, or `go` to build one. Synchronous, so the reason can go into the describe title.
 */
export function realEngineSkipReason(): string | undefined {
  if (onPath("pulumi") || fs.existsSync(path.join(cachedCliRoot(), "bin", "pulumi")) || onPath("go")) {
    return undefined;
  }
  return "no Pulumi CLI on PATH or in the cache, and no go to build one";
}

let cli: Promise<PulumiCommand> | undefined;

/** The CLI for the whole run, built once when needed (a cold build takes minutes; progress on stdout). */
export function acceptanceCli(): Promise<PulumiCommand> {
  cli ??= obtainPulumiCli({ log: (line) => console.log(`      ${line}`) });
  return cli;
}

/** Mocha timeout of a `before` hook that may build the CLI from a cold Go cache. */
export const CLI_BUILD_TIMEOUT_MS = 30 * 60_000;

/** A throwaway stack of an inline program, with its emulator and project directory. */
export interface RealStack {
  cli: PulumiCommand;
  emulator: TestEmulator;
  project: ProjectDir;
  throwaway: ThrowawayStack;
  /** Everything the CLI printed since the last {@link RealStack.takeOutput}. */
  output: string[];
  onOutput: (text: string) => void;
  takeOutput(): string;
  /** Runs the CLI itself in the project directory with the stack's environment. */
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The backend's state file of the stack (what is at rest on disk). */
  stateFileText(): string;
  close(): Promise<string[]>;
}

/** Options of {@link startRealStack}. */
export interface RealStackOptions {
  projectName: string;
  program: PulumiFn;
  emulator?: EmulatorOptions;
  /** Project directory; default a fresh temporary one linking this package and `@pulumi/pulumi`. */
  workDir?: string;
  config?: Record<string, string>;
}

/** Builds the package, starts an emulator and creates the stack. */
export async function startRealStack(options: RealStackOptions): Promise<RealStack> {
  const cliCommand = await acceptanceCli();
  ensureBuilt(REPO_ROOT);
  ensurePackageLink(REPO_ROOT);
  // The emulator's own job latencies (not the test-speed ones) and real rate limits.
  const jobs = {
    queuedMs: 100,
    processingMsPerJob: 200,
    processingMsPerCode: 0.5,
    ...options.emulator?.jobs,
  };
  const emulator = await startTestEmulator({ ...options.emulator, jobs });
  const project = options.workDir
    ? { dir: options.workDir, project: options.projectName, cleanup: () => Promise.resolve() }
    : await makeProjectDir({ project: options.projectName });
  const throwaway = await createThrowawayStack({
    cli: cliCommand,
    workDir: project.dir,
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    config: options.config,
    prefix: "acc",
    program: { projectName: options.projectName, program: options.program },
  });
  const output: string[] = [];
  const env = { ...process.env, ...throwaway.env };
  return {
    cli: cliCommand,
    emulator,
    project,
    throwaway,
    output,
    onOutput: (text) => output.push(text),
    takeOutput: () => output.splice(0).join(""),
    run: (args) =>
      new Promise((resolve) =>
        execFile(
          cliCommand.command,
          [...args, "--stack", throwaway.stackName, "--non-interactive"],
          { cwd: project.dir, env, maxBuffer: 256 * 1024 * 1024 },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      ),
    stateFileText: () => {
      const dir = path.join(throwaway.backendDir, ".pulumi", "stacks", options.projectName);
      return fs.readFileSync(path.join(dir, `${throwaway.stackName}.json`), "utf8");
    },
    async close() {
      const problems = await throwaway.dispose({ skipDestroy: true });
      await emulator.close();
      await project.cleanup();
      return problems;
    },
  };
}

/** What the emulator holds for a coupon: each code with its status and expiry (read through the API). */
export function liveCodes(emulator: TestEmulator, couponId: string): Promise<Map<string, LiveCode>> {
  return listCouponCodes(createKlaviyoClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }), couponId);
}

/** Requests in the emulator's log since it was last cleared, as `METHOD path` lines (query dropped). */
export function requestLines(emulator: TestEmulator): string[] {
  return emulator.control.requestLog().map((r) => `${r.method} ${r.path.split("?")[0]}`);
}

/**
 * Mocha helper: gets the CLI (building it if needed) and starts the stack in `before`, prints the CLI's
 * output of a failed test, and in `after` checks the emulator's spec conformance and removes stack,
 * emulator and project. Returns the stack; usable inside tests and hooks registered after this call.
 */
export function useRealStack(options: RealStackOptions | (() => RealStackOptions)): RealStack {
  const holder: { stack?: RealStack } = {};
  before(async function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    await acceptanceCli();
    holder.stack = await startRealStack(typeof options === "function" ? options() : options);
  });
  after(async () => {
    const stack = holder.stack;
    if (!stack) return;
    stack.emulator.control.clearFaults();
    stack.emulator.assertNoSpecViolations();
    assert.deepEqual(await stack.close(), []);
  });
  afterEach(function () {
    const output = holder.stack?.takeOutput();
    if (this.currentTest?.state === "failed") console.log(output);
  });
  // A stand-in that forwards to the stack once `before` has started it, so specs can keep one name.
  return new Proxy({} as RealStack, {
    get: (_target, key) => {
      if (!holder.stack)
        throw new Error("the real-engine stack exists only inside tests (after `before` ran)");
      return holder.stack[key as keyof RealStack];
    },
  });
}

/**
 * `pulumi preview --json` of the stack, through the real CLI: the Automation API has no option for it, so
 * the workspace's command is wrapped for this one call to append `--json` (what a user's CI step runs).
 */
export async function previewJson(real: RealStack): Promise<{ json: unknown; stderr: string }> {
  // `run` is the SDK's internal entry point (not in its typings); everything else is inherited.
  type Runner = { run(args: string[], ...rest: unknown[]): Promise<unknown> };
  const workspace = real.throwaway.stack.workspace as unknown as { _pulumiCommand: Runner };
  const command = workspace._pulumiCommand;
  const wrapped = Object.create(command) as Runner;
  wrapped.run = (args, ...rest) => command.run(args[0] === "preview" ? [...args, "--json"] : args, ...rest);
  workspace._pulumiCommand = wrapped;
  try {
    const result = await real.throwaway.stack.preview();
    return { json: JSON.parse(result.stdout), stderr: result.stderr };
  } finally {
    workspace._pulumiCommand = command;
  }
}
