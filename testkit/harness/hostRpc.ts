/**
 * The ResourceProvider RPCs of a {@link ProviderHost}: each call is logged, encoded, sent with a
 * deadline, and its reply decoded into the plain shapes of `hostMessages.ts`.
 *
 * @packageDocumentation
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as proto from "@pulumi/pulumi/proto/provider_pb";
import * as m from "./hostMessages";
import type { HostCall, ProviderHost } from "./providerHost";
import { toHostRpcError } from "./rpcError";

/** The RPC methods of a {@link ProviderHost}. */
export type HostRpcs = Pick<
  ProviderHost,
  | "handshake"
  | "getPluginInfo"
  | "checkConfig"
  | "configure"
  | "check"
  | "diff"
  | "create"
  | "update"
  | "read"
  | "delete"
>;

/** A bound client method, in the overload that takes call options. */
type Send<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (err: grpc.ServiceError | null, res: Res) => void,
) => unknown;

/** Logs one call under `method`, sends `request` and settles with the reply or a `HostRpcError`. */
type Unary = <Req, Res>(method: string, args: unknown, request: Req, send: Send<Req, Res>) => Promise<Res>;

/**
 * Binds the host's RPCs to `client`, appending each call to `calls` as it is sent. Every call gets a
 * deadline `rpcTimeoutMs` from when it is sent; 0 means none.
 */
export function createHostRpcs(
  client: ResourceProviderClient,
  calls: HostCall[],
  rpcTimeoutMs: number,
): HostRpcs {
  const unary = unaryCaller(calls, rpcTimeoutMs);
  return { ...sessionRpcs(client, unary), ...resourceRpcs(client, unary) };
}

function unaryCaller(calls: HostCall[], rpcTimeoutMs: number): Unary {
  return function unary<Req, Res>(method: string, args: unknown, request: Req, send: Send<Req, Res>) {
    // Cloned so the log shows what was sent even if the caller later mutates its objects.
    calls.push({ method, args: structuredClone(args) });
    const callOptions: grpc.CallOptions = rpcTimeoutMs > 0 ? { deadline: Date.now() + rpcTimeoutMs } : {};
    return new Promise<Res>((resolve, reject) => {
      send(request, new grpc.Metadata(), callOptions, (err, res) =>
        err ? reject(toHostRpcError(method, err)) : resolve(res),
      );
    });
  };
}

// The calls that set the host up rather than act on a resource.
function sessionRpcs(
  client: ResourceProviderClient,
  unary: Unary,
): Pick<HostRpcs, "handshake" | "getPluginInfo" | "checkConfig" | "configure"> {
  return {
    handshake: async (a = {}) => {
      const res = await unary("handshake", a, m.handshakeRequest(a), client.handshake.bind(client));
      return res.toObject();
    },
    getPluginInfo: async () => {
      const res = await unary("getPluginInfo", {}, new Empty(), client.getPluginInfo.bind(client));
      return { version: res.getVersion() };
    },
    checkConfig: (a) => checkLike(unary, "checkConfig", a, client.checkConfig.bind(client)),
    configure: async (a) => {
      const res = await unary("configure", a, m.configureRequest(a), client.configure.bind(client));
      return {
        acceptSecrets: res.getAcceptsecrets(),
        supportsPreview: res.getSupportspreview(),
        acceptResources: res.getAcceptresources(),
        acceptOutputs: res.getAcceptoutputs(),
      };
    },
  };
}

function resourceRpcs(
  client: ResourceProviderClient,
  unary: Unary,
): Pick<HostRpcs, "check" | "diff" | "create" | "update" | "read" | "delete"> {
  return {
    check: (a) => checkLike(unary, "check", a, client.check.bind(client)),
    diff: async (a) => m.diffReply(await unary("diff", a, m.diffRequest(a), client.diff.bind(client))),
    create: async (a) => {
      const res = await unary("create", a, m.createRequest(a), client.create.bind(client));
      return { id: res.getId(), properties: m.fromStruct(res.getProperties()) };
    },
    update: async (a) => {
      const res = await unary("update", a, m.updateRequest(a), client.update.bind(client));
      return { properties: m.fromStruct(res.getProperties()) };
    },
    read: async (a) => {
      const res = await unary("read", a, m.readRequest(a), client.read.bind(client));
      const reply: m.ReadReply = { id: res.getId(), properties: m.fromStruct(res.getProperties()) };
      if (res.hasInputs()) reply.inputs = m.fromStruct(res.getInputs());
      return reply;
    },
    delete: async (a) => {
      await unary("delete", a, m.deleteRequest(a), client.delete.bind(client));
    },
  };
}

async function checkLike(
  unary: Unary,
  method: "check" | "checkConfig",
  a: m.CheckArgs,
  send: Send<proto.CheckRequest, proto.CheckResponse>,
): Promise<m.CheckReply> {
  const res = await unary(method, a, m.checkRequest(a), send);
  return {
    inputs: m.fromStruct(res.getInputs()),
    failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}
