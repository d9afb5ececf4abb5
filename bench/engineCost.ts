/**
 * The engine simulator is JavaScript, so every RPC it sends pays google-protobuf encoding and decoding in
 * the benchmark process; the real Pulumi engine does that work in Go, for a small fraction of the time.
 * These helpers replay exactly the simulator's side of one RPC (clone of the logged args, request build and
 * serialisation, reply deserialisation and conversion) on the same payloads, so the report can say how
 * much of a wall time is the harness rather than the provider host.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import * as m from "../testkit/harness/hostMessages";

function timeIt(fn: () => void, repeats = 3): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function structBytes(props: m.Props): Uint8Array {
  return new proto.CreateResponse().setProperties(Struct.fromJavaScript(props as any)).serializeBinary();
}

/** Simulator-side ms of a Check RPC whose reply carries `inputs`. */
export function checkCost(args: m.CheckArgs, inputs: m.Props): number {
  const reply = new proto.CheckResponse().setInputs(Struct.fromJavaScript(inputs as any)).serializeBinary();
  return timeIt(() => {
    structuredClone(args);
    m.checkRequest(args).serializeBinary();
    m.fromStruct(proto.CheckResponse.deserializeBinary(reply).getInputs());
  });
}

/** Simulator-side ms of a Diff RPC (the reply is tiny). */
export function diffCost(args: m.DiffArgs): number {
  return timeIt(() => {
    structuredClone(args);
    m.diffRequest(args).serializeBinary();
  });
}

/** Simulator-side ms of a Create RPC whose reply carries `outputs`. */
export function createCost(args: m.CreateArgs, outputs: m.Props): number {
  const reply = structBytes(outputs);
  return timeIt(() => {
    structuredClone(args);
    m.createRequest(args).serializeBinary();
    m.fromStruct(proto.CreateResponse.deserializeBinary(reply).getProperties());
  });
}

/** Simulator-side ms of a Read RPC whose reply carries `outputs`. */
export function readCost(args: m.ReadArgs, outputs: m.Props): number {
  const reply = new proto.ReadResponse().setId("id").setProperties(Struct.fromJavaScript(outputs as any));
  const bytes = reply.serializeBinary();
  return timeIt(() => {
    structuredClone(args);
    m.readRequest(args).serializeBinary();
    m.fromStruct(proto.ReadResponse.deserializeBinary(bytes).getProperties());
  });
}
