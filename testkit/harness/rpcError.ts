/**
 * Turns gRPC failures from the dynamic-provider host into plain Errors the tests can assert on,
 * including the "created but failed to initialise" detail the host packs into the status trailer.
 *
 * @packageDocumentation
 */
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { brandedError, hasBrand } from "./brandedError";

/** Trailer in which gRPC carries a serialized `google.rpc.Status` with typed details. */
const STATUS_DETAILS_TRAILER = "grpc-status-details-bin";

/** Fully-qualified protobuf name of the init-failure detail. */
const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

/** The payload of a `pulumirpc.ErrorResourceInitFailed` detail, as plain JS. */
export interface InitFailed {
  /** Id of the object that was created although it failed to initialise. */
  id: string;
  /** Outputs the provider reported for the half-created object (the host does not add `__provider`). */
  properties: Record<string, unknown>;
  /** Inputs, when the provider sent them (the Node host never does). */
  inputs?: Record<string, unknown>;
  /** Human-readable reasons the engine records as the resource's init errors. */
  reasons: string[];
}

/** An RPC failure reported by the host, as the engine would see it. */
export interface HostRpcError extends Error {
  name: "HostRpcError";
  /** gRPC status code, e.g. `grpc.status.UNKNOWN` (2) for a thrown provider error. */
  readonly code: number;
  /** The status message, which for a thrown provider error is the error's `message`. */
  readonly details: string;
  /** RPC method that failed, e.g. `"create"`. */
  readonly method: string;
  /** Present when the trailer held `pulumirpc.ErrorResourceInitFailed`. */
  readonly initFailed?: InitFailed;
}

function hostRpcError(method: string, code: number, details: string, initFailed?: InitFailed): HostRpcError {
  const message = `${method} failed with ${statusName(code)} (${code}): ${details}`;
  return brandedError("HostRpcError", message, { method, code, details, initFailed }, hostRpcError);
}

/** Whether `value` is a {@link HostRpcError} (from any copy of this module). */
export function isHostRpcError(value: unknown): value is HostRpcError {
  return hasBrand(value, "HostRpcError");
}

/** Returns the symbolic name of a gRPC status code, such as `"UNIMPLEMENTED"`. */
function statusName(code: number): string {
  return (grpc.status as unknown as Record<number, string>)[code] ?? `STATUS_${code}`;
}

/**
 * Converts a grpc-js `ServiceError` (or anything thrown by the client) into a {@link HostRpcError},
 * decoding an init-failure detail from the status trailer when one is present.
 */
export function toHostRpcError(method: string, err: unknown): HostRpcError {
  const e = err as Partial<grpc.ServiceError> | undefined;
  const code = typeof e?.code === "number" ? e.code : grpc.status.UNKNOWN;
  const details = typeof e?.details === "string" ? e.details : String(e?.message ?? err);
  return hostRpcError(method, code, details, e?.metadata ? decodeInitFailed(e.metadata) : undefined);
}

/** Decodes `pulumirpc.ErrorResourceInitFailed` from a `grpc-status-details-bin` trailer, if present. */
function decodeInitFailed(metadata: grpc.Metadata): InitFailed | undefined {
  for (const raw of metadata.get(STATUS_DETAILS_TRAILER)) {
    const bytes = typeof raw === "string" ? Buffer.from(raw, "base64") : raw;
    const status = Status.deserializeBinary(new Uint8Array(bytes));
    for (const detail of status.getDetailsList()) {
      const decoded = unpackInitFailed(detail);
      if (decoded) return decoded;
    }
  }
  return undefined;
}

function unpackInitFailed(detail: Any): InitFailed | undefined {
  if (detail.getTypeName() !== INIT_FAILED_TYPE) return undefined;
  const msg = detail.unpack(ErrorResourceInitFailed.deserializeBinary, INIT_FAILED_TYPE);
  if (!msg) return undefined;
  const inputs = msg.getInputs()?.toJavaScript();
  return {
    id: msg.getId(),
    properties: (msg.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    ...(inputs && Object.keys(inputs).length > 0 ? { inputs: inputs as Record<string, unknown> } : {}),
    reasons: msg.getReasonsList(),
  };
}
