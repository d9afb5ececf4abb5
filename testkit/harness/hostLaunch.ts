/**
 * Starting the dynamic-provider host process: its environment, the capture of its output, tracking
 * its exit, and reading the port line it prints once it listens.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from "child_process";
import * as readline from "readline";
import type { FakeEngine } from "./fakeEngine";
import { trackChild } from "./hostProcess";
import type { HostExit, ProviderHostOptions } from "./providerHost";

const HOST_ENTRY = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

/** A spawned host process and everything it has printed so far. */
export interface LaunchedHost {
  readonly child: ChildProcess;
  /** Every stdout/stderr line after the port line (stderr from the start), in arrival order. */
  readonly lines: string[];
  readonly stdoutLines: string[];
  readonly stderrLines: string[];
  /** Run after every captured line and on exit, so pending `waitForLine` calls re-check. */
  readonly waiters: Set<() => void>;
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<HostExit>;
  /** Whether the process is still running. */
  running(): boolean;
  /**
   * Resolves with the port from the first stdout line. Rejects, with whatever the host printed, if the
   * host exits, prints something else or times out first; the process and `engine` are stopped then.
   */
  readonly port: Promise<number>;
}

/** What is captured of the host's output; `LaunchedHost` exposes the same arrays. */
interface CapturedOutput {
  lines: string[];
  stdoutLines: string[];
  stderrLines: string[];
  waiters: Set<() => void>;
}

/** How the process's end is observed. */
interface ExitWatch {
  exited: Promise<HostExit>;
  running(): boolean;
  /** Set when the process could not be spawned at all. */
  spawnError(): Error | undefined;
}

/**
 * Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> <engine address>` in `options.cwd`, starts
 * capturing its output and starts waiting for its port line (see {@link LaunchedHost.port}).
 */
export function launchHost(options: ProviderHostOptions, engine: FakeEngine): LaunchedHost {
  const child = spawn(process.execPath, [HOST_ENTRY, engine.address], {
    cwd: options.cwd,
    env: hostEnv(options, engine.address),
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  const output: CapturedOutput = { lines: [], stdoutLines: [], stderrLines: [], waiters: new Set() };
  const exit = watchExit(child, () => wake(output.waiters));
  readline.createInterface({ input: child.stderr! }).on("line", (l) => record(output, output.stderrLines, l));
  const port = readPort(child, output, exit, engine, options.startTimeoutMs ?? 30000);
  return { child, ...output, exited: exit.exited, running: exit.running, port };
}

/**
 * Sends SIGTERM (the host has no shutdown RPC), SIGKILL after 5 s if it is still running, and resolves
 * once it has exited.
 */
export async function terminateHost(host: LaunchedHost): Promise<void> {
  host.child.kill("SIGTERM");
  const timer = setTimeout(() => host.child.kill("SIGKILL"), 5000);
  timer.unref();
  await host.exited;
  clearTimeout(timer);
}

function hostEnv(options: ProviderHostOptions, engineAddress: string): NodeJS.ProcessEnv {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: options.project,
    // An inherited engine address would silently reroute pulumi.log output away from stdout.
    PULUMI_NODEJS_ENGINE: options.connectEngineLogs ? engineAddress : undefined,
    ...options.env,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
}

function record(output: CapturedOutput, bucket: string[], line: string): void {
  bucket.push(line);
  output.lines.push(line);
  wake(output.waiters);
}

// A copy: a waiter that is satisfied removes itself while the set is being walked.
function wake(waiters: Set<() => void>): void {
  for (const w of [...waiters]) w();
}

function watchExit(child: ChildProcess, onExit: () => void): ExitWatch {
  let spawnError: Error | undefined;
  let isRunning = true;
  // "close" rather than "exit": it fires after stdout/stderr are drained, so no line is lost.
  const exited = new Promise<HostExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      isRunning = false;
      resolve({ code, signal });
      onExit();
    };
    child.once("close", done);
    // A failed spawn (bad cwd, missing node) emits only "error".
    child.once("error", (err) => {
      spawnError = err;
      done(null, null);
    });
  });
  return { exited, running: () => isRunning, spawnError: () => spawnError };
}

// The first stdout line is the port; later ones are ordinary output.
function readPort(
  child: ChildProcess,
  output: CapturedOutput,
  exit: ExitWatch,
  engine: FakeEngine,
  timeoutMs: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let seenPort = false;
    const timer = setTimeout(() => fail(`no port line within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      void engine.stop();
      reject(new Error(`dynamic-provider host failed to start: ${why}\n${output.lines.join("\n")}`));
    }
    readline.createInterface({ input: child.stdout! }).on("line", (l) => {
      if (seenPort) return record(output, output.stdoutLines, l);
      seenPort = true;
      clearTimeout(timer);
      const p = Number(l.trim());
      if (Number.isInteger(p) && p > 0) resolve(p);
      else fail(`first stdout line is not a port: ${JSON.stringify(l)}`);
    });
    void exit.exited.then((e) => !seenPort && fail(exitReason(e, exit.spawnError())));
  });
}

function exitReason(exit: HostExit, spawnError: Error | undefined): string {
  return spawnError
    ? `spawn ${spawnError.message} (does the cwd exist?)`
    : `exited with code ${exit.code}, signal ${exit.signal}`;
}
