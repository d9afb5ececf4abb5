/**
 * Plain-JS shapes of the ResourceProvider RPCs the harness sends, and their protobuf encoding.
 * Field names follow the proto; `name` and `type` default to the parts of the URN, as the engine
 * fills them in.
 *
 * @packageDocumentation
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";

/** A property bag as sent in a protobuf `Struct`. Values must be JSON-like: no `undefined`. */
export type Props = Record<string, unknown>;

/** Common request fields naming the resource. */
export interface ResourceRef {
  urn: string;
  /** Defaults to the last URN segment. */
  name?: string;
  /** Defaults to the type segment of the URN. */
  type?: string;
}

/** `Handshake` request fields. */
export interface HandshakeArgs {
  engineAddress?: string;
  rootDirectory?: string;
  programDirectory?: string;
  configureWithUrn?: boolean;
}

/** `Configure` request fields. */
export interface ConfigureArgs {
  /** Whole stack config with namespaced keys; secrets in the wire (sig) form. */
  args: Props;
  /** Legacy string map; the Node host ignores it. */
  variables?: Record<string, string>;
  acceptSecrets?: boolean;
  acceptResources?: boolean;
  sendsOldInputs?: boolean;
  sendsOldInputsToDelete?: boolean;
  id?: string;
  urn?: string;
  name?: string;
  type?: string;
}

/** `Configure` reply. */
export interface ConfigureReply {
  acceptSecrets: boolean;
  supportsPreview: boolean;
  acceptResources: boolean;
  acceptOutputs: boolean;
}

/** `Check` / `CheckConfig` request fields. */
export interface CheckArgs extends ResourceRef {
  olds: Props;
  news: Props;
  randomSeed?: Uint8Array;
}

/** One validation failure. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** `Check` reply. */
export interface CheckReply {
  inputs: Props;
  failures: CheckFailure[];
}

/** `Diff` request fields; `olds` are the old OUTPUTS. */
export interface DiffArgs extends ResourceRef {
  id: string;
  olds: Props;
  news: Props;
  oldInputs?: Props;
  ignoreChanges?: string[];
}

/** `Diff` reply, with the `DiffChanges` enum decoded. */
export interface DiffReply {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
  hasDetailedDiff: boolean;
}

/** `Create` request fields. */
export interface CreateArgs extends ResourceRef {
  properties: Props;
  preview?: boolean;
  timeout?: number;
}

/** `Update` request fields; `olds` are the old OUTPUTS. */
export interface UpdateArgs extends ResourceRef {
  id: string;
  olds: Props;
  news: Props;
  oldInputs?: Props;
  preview?: boolean;
  timeout?: number;
  ignoreChanges?: string[];
}

/** `Read` request fields. */
export interface ReadArgs extends ResourceRef {
  id: string;
  properties?: Props;
  inputs?: Props;
}

/** `Read` reply; `inputs` only when the provider returned them. */
export interface ReadReply {
  id: string;
  properties: Props;
  inputs?: Props;
}

/** `Delete` request fields. */
export interface DeleteArgs extends ResourceRef {
  id: string;
  properties: Props;
  oldInputs?: Props;
  timeout?: number;
}

/** Encodes a property bag; throws a readable error for values a `Struct` cannot hold. */
function toStruct(props: Props, field: string): Struct {
  try {
    return Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]);
  } catch (err) {
    throw new Error(`cannot encode ${field} as a protobuf Struct (undefined or non-JSON value?): ${err}`);
  }
}

/** Decodes an optional `Struct` into a plain object (`{}` when absent). */
export function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** Splits `urn:pulumi:stack::project::type::name` into its type and name. */
function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  return { type: qualifiedType.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

function nameAndType(ref: ResourceRef): { name: string; type: string } {
  const parts = urnParts(ref.urn);
  return { name: ref.name ?? parts.name, type: ref.type ?? parts.type };
}

/** Builds a `ProviderHandshakeRequest`. */
export function handshakeRequest(a: HandshakeArgs): proto.ProviderHandshakeRequest {
  const req = new proto.ProviderHandshakeRequest().setEngineAddress(a.engineAddress ?? "");
  if (a.rootDirectory !== undefined) req.setRootDirectory(a.rootDirectory);
  if (a.programDirectory !== undefined) req.setProgramDirectory(a.programDirectory);
  return req.setConfigureWithUrn(a.configureWithUrn ?? false);
}

/** Builds a `ConfigureRequest`. */
export function configureRequest(a: ConfigureArgs): proto.ConfigureRequest {
  const req = new proto.ConfigureRequest()
    .setArgs(toStruct(a.args, "configure.args"))
    .setAcceptsecrets(a.acceptSecrets ?? true)
    .setAcceptresources(a.acceptResources ?? true)
    .setSendsOldInputs(a.sendsOldInputs ?? true)
    .setSendsOldInputsToDelete(a.sendsOldInputsToDelete ?? true);
  for (const [k, v] of Object.entries(a.variables ?? {})) req.getVariablesMap().set(k, v);
  if (a.id !== undefined) req.setId(a.id);
  if (a.urn !== undefined) req.setUrn(a.urn);
  if (a.name !== undefined) req.setName(a.name);
  if (a.type !== undefined) req.setType(a.type);
  return req;
}

/** Builds a `CheckRequest` (also used for `CheckConfig`). */
export function checkRequest(a: CheckArgs): proto.CheckRequest {
  const { name, type } = nameAndType(a);
  return new proto.CheckRequest()
    .setUrn(a.urn)
    .setName(name)
    .setType(type)
    .setOlds(toStruct(a.olds, "olds"))
    .setNews(toStruct(a.news, "news"))
    .setRandomseed(a.randomSeed ?? new Uint8Array(32));
}

/** Builds a `DiffRequest`. */
export function diffRequest(a: DiffArgs): proto.DiffRequest {
  const { name, type } = nameAndType(a);
  const req = new proto.DiffRequest()
    .setId(a.id)
    .setUrn(a.urn)
    .setName(name)
    .setType(type)
    .setOlds(toStruct(a.olds, "olds"))
    .setNews(toStruct(a.news, "news"))
    .setIgnorechangesList(a.ignoreChanges ?? []);
  return a.oldInputs ? req.setOldInputs(toStruct(a.oldInputs, "oldInputs")) : req;
}

/** Decodes a `DiffResponse`. */
export function diffReply(res: proto.DiffResponse): DiffReply {
  const C = proto.DiffResponse.DiffChanges;
  const changes = res.getChanges();
  return {
    changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown",
    replaces: res.getReplacesList(),
    stables: res.getStablesList(),
    deleteBeforeReplace: res.getDeletebeforereplace(),
    diffs: res.getDiffsList(),
    hasDetailedDiff: res.getHasdetaileddiff(),
  };
}

/** Builds a `CreateRequest`. */
export function createRequest(a: CreateArgs): proto.CreateRequest {
  const { name, type } = nameAndType(a);
  return new proto.CreateRequest()
    .setUrn(a.urn)
    .setName(name)
    .setType(type)
    .setProperties(toStruct(a.properties, "properties"))
    .setPreview(a.preview ?? false)
    .setTimeout(a.timeout ?? 0);
}

/** Builds an `UpdateRequest`. */
export function updateRequest(a: UpdateArgs): proto.UpdateRequest {
  const { name, type } = nameAndType(a);
  const req = new proto.UpdateRequest()
    .setId(a.id)
    .setUrn(a.urn)
    .setName(name)
    .setType(type)
    .setOlds(toStruct(a.olds, "olds"))
    .setNews(toStruct(a.news, "news"))
    .setPreview(a.preview ?? false)
    .setTimeout(a.timeout ?? 0)
    .setIgnorechangesList(a.ignoreChanges ?? []);
  return a.oldInputs ? req.setOldInputs(toStruct(a.oldInputs, "oldInputs")) : req;
}

/** Builds a `ReadRequest`. */
export function readRequest(a: ReadArgs): proto.ReadRequest {
  const { name, type } = nameAndType(a);
  const req = new proto.ReadRequest().setId(a.id).setUrn(a.urn).setName(name).setType(type);
  if (a.properties) req.setProperties(toStruct(a.properties, "properties"));
  if (a.inputs) req.setInputs(toStruct(a.inputs, "inputs"));
  return req;
}

/** Builds a `DeleteRequest`. */
export function deleteRequest(a: DeleteArgs): proto.DeleteRequest {
  const { name, type } = nameAndType(a);
  const req = new proto.DeleteRequest()
    .setId(a.id)
    .setUrn(a.urn)
    .setName(name)
    .setType(type)
    .setProperties(toStruct(a.properties, "properties"))
    .setTimeout(a.timeout ?? 0);
  return a.oldInputs ? req.setOldInputs(toStruct(a.oldInputs, "oldInputs")) : req;
}
