/**
 * Runs the Pulumi Node SDK's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) as a
 * child process and talks to it over gRPC, as the Pulumi engine does.
 *
 * @packageDocumentation
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as m from "./hostMessages";
import { EngineLogEntry, startFakeEngine } from "./fakeEngine";
import { launchHost, terminateHost } from "./hostLaunch";
import { waitForLine } from "./hostProcess";
import { createHostRpcs } from "./hostRpc";

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

/**
 * Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> <fake engine address>` with
 * `PULUMI_NODEJS_PROJECT=<project>`, reads the port from the first stdout line and connects a
 * `ResourceProviderClient`. Rejects, with whatever the host printed, if it exits before that.
 */
export async function startProviderHost(options: ProviderHostOptions): Promise<ProviderHost> {
  const engine = await startFakeEngine();
  const launched = launchHost(options, engine);
  const port = await launched.port;
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const calls: HostCall[] = [];
  const { child, lines, waiters, exited, running } = launched;
  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid!,
    port,
    engineAddress: engine.address,
    lines,
    stdoutLines: launched.stdoutLines,
    stderrLines: launched.stderrLines,
    engineLogs: engine.logs,
    calls,
    exited,
    running,
    stopEngine: () => engine.stop(),
    output: () => lines.join("\n"),
    waitForLine: (pattern, timeoutMs = 5000) => waitForLine(lines, waiters, pattern, timeoutMs, running),
    ...createHostRpcs(client, calls, options.rpcTimeoutMs ?? 45000),
    kill: async (signal = "SIGKILL") => {
      if (running()) child.kill(signal);
      return exited;
    },
    stop: () =>
      (stopped ??= (async () => {
        if (running()) await terminateHost(launched);
        client.close();
        await engine.stop();
      })()),
  };
}
