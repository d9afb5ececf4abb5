/**
 * Runs the Pulumi Node SDK's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) as a
 * child process and talks to it over gRPC, as the Pulumi engine does.
 *
 * @packageDocumentation
 */
import { spawn } from "child_process";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as proto from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as m from "./hostMessages";
import { EngineLogEntry, startFakeEngine } from "./fakeEngine";
import { trackChild, waitForLine } from "./hostProcess";
import { toHostRpcError } from "./rpcError";

/** Options for {@link startProviderHost}. */
export interface ProviderHostOptions {
  /** Working directory; `__provider` requires resolve from here (use `makeProjectDir().dir`). */
  cwd: string;
  /** Pulumi project name, passed as `PULUMI_NODEJS_PROJECT`; un-namespaced config keys use it. */
  project: string;
  /** Extra environment variables, layered over the test process's environment; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /**
   * Also set `PULUMI_NODEJS_ENGINE` so `pulumi.log.*` calls reach {@link ProviderHost.engineLogs}.
   * The real engine does not do this (logs go to stdout), so it is off by default.
   */
  connectEngineLogs?: boolean;
  /** How long to wait for the port line. Default 30 s. */
  startTimeoutMs?: number;
  /** Deadline for each RPC, so a hung provider fails the call instead of the test. Default 45 s; 0 = none. */
  rpcTimeoutMs?: number;
}

/** How the host process ended. */
export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One RPC as sent, for asserting on call order. */
export interface HostCall {
  method: string;
  args: unknown;
}

/** A running host process plus a client connected to it. Every RPC rejects with `HostRpcError`. */
export interface ProviderHost {
  readonly pid: number;
  readonly port: number;
  /** The address given to the host as its engine (a {@link FakeEngine}). */
  readonly engineAddress: string;
  /** Every stdout/stderr line after the port line (stderr from the start), in arrival order. */
  readonly lines: string[];
  readonly stdoutLines: string[];
  readonly stderrLines: string[];
  /** Log calls received by the fake engine (only with `connectEngineLogs`). */
  readonly engineLogs: EngineLogEntry[];
  /** RPCs sent so far, in order. */
  readonly calls: HostCall[];
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<HostExit>;
  /** Whether the process is still running. */
  running(): boolean;
  /** All captured lines joined with newlines. */
  output(): string;
  /** Resolves with the first captured line matching `pattern`, waiting up to `timeoutMs` (default 5 s). */
  waitForLine(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** `Handshake`; the Node host answers UNIMPLEMENTED. */
  handshake(args?: m.HandshakeArgs): Promise<Record<string, unknown>>;
  /** `GetPluginInfo`: the SDK version. */
  getPluginInfo(): Promise<{ version: string }>;
  /** `CheckConfig`; the Node host answers UNIMPLEMENTED. */
  checkConfig(args: m.CheckArgs): Promise<m.CheckReply>;
  /** `Configure`; the host only stores the config until a provider is first loaded. */
  configure(args: m.ConfigureArgs): Promise<m.ConfigureReply>;
  /** `Check`; failures come back in the reply, not as an error. */
  check(args: m.CheckArgs): Promise<m.CheckReply>;
  /** `Diff`; `olds` must be the old outputs. */
  diff(args: m.DiffArgs): Promise<m.DiffReply>;
  /** `Create`; rejects with `initFailed` set when the object was created but is unhealthy. */
  create(args: m.CreateArgs): Promise<{ id: string; properties: m.Props }>;
  /** `Update`; like create, may reject with `initFailed`. */
  update(args: m.UpdateArgs): Promise<{ properties: m.Props }>;
  /** `Read`; an empty `id` in the reply means the object is gone. */
  read(args: m.ReadArgs): Promise<m.ReadReply>;
  /** `Delete`. */
  delete(args: m.DeleteArgs): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<HostExit>;
  /** SIGTERM (the host has no shutdown RPC), SIGKILL after 5 s, then closes the client and fake engine. */
  stop(): Promise<void>;
  /** Stops only the fake engine, as when the CLI that started a real host dies. */
  stopEngine(): Promise<void>;
}

const HOST_ENTRY = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

/**
 * Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> <fake engine address>` with
 * `PULUMI_NODEJS_PROJECT=<project>`, reads the port from the first stdout line and connects a
 * `ResourceProviderClient`. Rejects, with whatever the host printed, if it exits before that.
 */
export async function startProviderHost(options: ProviderHostOptions): Promise<ProviderHost> {
  const engine = await startFakeEngine();
  const merged: Record<string, string | undefined> = {
    ...process.env,
    PULUMI_NODEJS_PROJECT: options.project,
    // An inherited engine address would silently reroute pulumi.log output away from stdout.
    PULUMI_NODEJS_ENGINE: options.connectEngineLogs ? engine.address : undefined,
    ...options.env,
  };
  const env = Object.fromEntries(
    Object.entries(merged).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, [HOST_ENTRY, engine.address], {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const record = (bucket: string[], line: string) => {
    bucket.push(line);
    lines.push(line);
    for (const w of [...waiters]) w();
  };
  let spawnError: Error | undefined;
  let isRunning = true;
  // "close" rather than "exit": it fires after stdout/stderr are drained, so no line is lost.
  const exited = new Promise<HostExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      isRunning = false;
      resolve({ code, signal });
      for (const w of [...waiters]) w();
    };
    child.once("close", done);
    // A failed spawn (bad cwd, missing node) emits only "error".
    child.once("error", (err) => {
      spawnError = err;
      done(null, null);
    });
  });

  readline.createInterface({ input: child.stderr! }).on("line", (l) => record(stderrLines, l));
  const port = await new Promise<number>((resolve, reject) => {
    let seenPort = false;
    const timer = setTimeout(
      () => fail(`no port line within ${options.startTimeoutMs ?? 30000} ms`),
      options.startTimeoutMs ?? 30000,
    );
    timer.unref();
    function fail(why: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      void engine.stop();
      reject(new Error(`dynamic-provider host failed to start: ${why}\n${lines.join("\n")}`));
    }
    readline.createInterface({ input: child.stdout! }).on("line", (l) => {
      if (seenPort) return record(stdoutLines, l);
      seenPort = true;
      clearTimeout(timer);
      const p = Number(l.trim());
      if (Number.isInteger(p) && p > 0) resolve(p);
      else fail(`first stdout line is not a port: ${JSON.stringify(l)}`);
    });
    void exited.then(
      (e) =>
        !seenPort &&
        fail(
          spawnError
            ? `spawn ${spawnError.message} (does the cwd exist?)`
            : `exited with code ${e.code}, signal ${e.signal}`,
        ),
    );
  });

  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const calls: HostCall[] = [];
  const rpcTimeoutMs = options.rpcTimeoutMs ?? 45000;
  function unary<Res>(method: string, args: unknown, req: object): Promise<Res> {
    // Cloned so the log shows what was sent even if the caller later mutates its objects.
    calls.push({ method, args: structuredClone(args) });
    const callOptions: grpc.CallOptions = rpcTimeoutMs > 0 ? { deadline: Date.now() + rpcTimeoutMs } : {};
    return new Promise<Res>((resolve, reject) => {
      const fn = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[method].bind(client);
      fn(req, new grpc.Metadata(), callOptions, (err: grpc.ServiceError | null, res: Res) =>
        err ? reject(toHostRpcError(method, err)) : resolve(res),
      );
    });
  }

  let stopped: Promise<void> | undefined;
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    if (isRunning) child.kill(signal);
    return exited;
  };
  const host: ProviderHost = {
    pid: child.pid!,
    port,
    engineAddress: engine.address,
    lines,
    stdoutLines,
    stderrLines,
    engineLogs: engine.logs,
    calls,
    exited,
    running: () => isRunning,
    stopEngine: () => engine.stop(),
    output: () => lines.join("\n"),
    waitForLine: (pattern, timeoutMs = 5000) =>
      waitForLine(lines, waiters, pattern, timeoutMs, () => isRunning),
    handshake: async (a = {}) => {
      const res = await unary<proto.ProviderHandshakeResponse>("handshake", a, m.handshakeRequest(a));
      return res.toObject();
    },
    getPluginInfo: async () => {
      const res = await unary<PluginInfo>("getPluginInfo", {}, new Empty());
      return { version: res.getVersion() };
    },
    checkConfig: (a) => checkLike("checkConfig", a),
    configure: async (a) => {
      const res = await unary<proto.ConfigureResponse>("configure", a, m.configureRequest(a));
      return {
        acceptSecrets: res.getAcceptsecrets(),
        supportsPreview: res.getSupportspreview(),
        acceptResources: res.getAcceptresources(),
        acceptOutputs: res.getAcceptoutputs(),
      };
    },
    check: (a) => checkLike("check", a),
    diff: async (a) => m.diffReply(await unary<proto.DiffResponse>("diff", a, m.diffRequest(a))),
    create: async (a) => {
      const res = await unary<proto.CreateResponse>("create", a, m.createRequest(a));
      return { id: res.getId(), properties: m.fromStruct(res.getProperties()) };
    },
    update: async (a) => {
      const res = await unary<proto.UpdateResponse>("update", a, m.updateRequest(a));
      return { properties: m.fromStruct(res.getProperties()) };
    },
    read: async (a) => {
      const res = await unary<proto.ReadResponse>("read", a, m.readRequest(a));
      const reply: m.ReadReply = { id: res.getId(), properties: m.fromStruct(res.getProperties()) };
      if (res.hasInputs()) reply.inputs = m.fromStruct(res.getInputs());
      return reply;
    },
    delete: async (a) => {
      await unary<Empty>("delete", a, m.deleteRequest(a));
    },
    kill,
    stop: () =>
      (stopped ??= (async () => {
        if (isRunning) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          timer.unref();
          await exited;
          clearTimeout(timer);
        }
        client.close();
        await engine.stop();
      })()),
  };

  async function checkLike(method: "check" | "checkConfig", a: m.CheckArgs): Promise<m.CheckReply> {
    const res = await unary<proto.CheckResponse>(method, a, m.checkRequest(a));
    return {
      inputs: m.fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }
  return host;
}
