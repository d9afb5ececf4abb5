/**
 * A minimal `pulumirpc.Engine` gRPC server. The host needs an engine address on its command line;
 * it never dials it unless `PULUMI_NODEJS_ENGINE` points there too, in which case `pulumi.log.*`
 * calls made by providers arrive here instead of on stdout.
 *
 * @packageDocumentation
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import {
  GetRootResourceResponse,
  LogRequest,
  LogSeverity,
  SetRootResourceRequest,
  SetRootResourceResponse,
} from "@pulumi/pulumi/proto/engine_pb";

/** One `Engine.Log` call received from the host. */
export interface EngineLogEntry {
  /** `"debug" | "info" | "warning" | "error"`. */
  severity: string;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** A running fake engine. */
export interface FakeEngine {
  /** `127.0.0.1:<port>`, suitable as the host's first argument. */
  address: string;
  /** Every log message received, in arrival order. */
  logs: EngineLogEntry[];
  /** Shuts the server down immediately. */
  stop(): Promise<void>;
}

const SEVERITIES: Record<number, string> = {
  [LogSeverity.DEBUG]: "debug",
  [LogSeverity.INFO]: "info",
  [LogSeverity.WARNING]: "warning",
  [LogSeverity.ERROR]: "error",
};

/** Starts a fake engine on an ephemeral loopback port. */
export async function startFakeEngine(): Promise<FakeEngine> {
  const server = new grpc.Server();
  const logs: EngineLogEntry[] = [];
  let rootUrn = "";
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not implemented by the harness engine" });
  server.addService(EngineService, {
    log(call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
      const req = call.request;
      logs.push({
        severity: SEVERITIES[req.getSeverity()] ?? String(req.getSeverity()),
        message: req.getMessage(),
        urn: req.getUrn(),
        ephemeral: req.getEphemeral(),
      });
      callback(null, new Empty());
    },
    getRootResource(_call: unknown, callback: grpc.sendUnaryData<GetRootResourceResponse>) {
      callback(null, new GetRootResourceResponse().setUrn(rootUrn));
    },
    setRootResource(
      call: grpc.ServerUnaryCall<SetRootResourceRequest, SetRootResourceResponse>,
      callback: grpc.sendUnaryData<SetRootResourceResponse>,
    ) {
      rootUrn = call.request.getUrn();
      callback(null, new SetRootResourceResponse());
    },
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    stop: async () => server.forceShutdown(),
  };
}
