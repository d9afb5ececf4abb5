/**
 * A dynamic provider that records every handler call (one JSON line per call) so the same scenario
 * can be run under the real Pulumi CLI and under `EngineSimulator`, and the calls compared.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { Props } from "../../testkit/harness/hostMessages";

/** One recorded handler call. */
export interface RecordedCall {
  method: "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";
  args: Record<string, unknown>;
}

/** Module and type of {@link RecordingThing}; the type token is `pulumi-nodejs:dynamic/recording:Thing`. */
export const RECORDING_TYPE = "pulumi-nodejs:dynamic/recording:Thing";

/**
 * A provider whose handlers append `{ method, args }` to `logFile`. Behaviour is steered by inputs:
 * `replaceKey` (a change means replace), `dbr: true` (ask for delete-before-replace), `invalid: true`
 * (check fails). `read` reports the object gone while `<logFile>.gone` exists. Outputs echo the
 * inputs plus `out` (derived from `replaceKey`, so dependents change when it does).
 *
 * `logFile` is captured as a plain string: the provider is serialized into `__provider`, so it may hold
 * nothing else (no Map/Set, modules loaded inside the methods).
 */
export function makeRecordingProvider(logFile: string): pulumi.dynamic.ResourceProvider {
  const record = (method: string, args: Record<string, unknown>) =>
    require("fs").appendFileSync(logFile, JSON.stringify({ method, args }) + "\n");
  const userProps = (props: Record<string, unknown>) => {
    const { __provider: _p, out: _o, ...rest } = props;
    return rest;
  };
  return {
    async configure(req) {
      // The SDK's Config keeps the decrypted stack config in `rawConfig`; recording it shows exactly
      // which keys the engine sent.
      const raw = (req.config as { rawConfig?: unknown }).rawConfig;
      record("configure", { config: raw ?? null, project: process.env.PULUMI_NODEJS_PROJECT ?? null });
    },
    async check(olds, news) {
      record("check", { olds, news });
      const failures =
        news.invalid === true ? [{ property: "invalid", reason: "invalid was requested" }] : [];
      return { inputs: news, failures };
    },
    async diff(id, olds, news) {
      record("diff", { id, olds, news });
      const [o, n] = [userProps(olds), userProps(news)];
      const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])];
      const changed = keys.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
      const replaces = changed.includes("replaceKey") ? ["replaceKey"] : [];
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: news.dbr === true };
    },
    async create(inputs) {
      record("create", { inputs });
      const id = `rec-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      return { id, outs: { ...userProps(inputs), out: `out-${String(inputs.replaceKey)}` } };
    },
    async read(id, props) {
      record("read", { id, props: props ?? null });
      if (require("fs").existsSync(`${logFile}.gone`)) return { id: "", props: {} };
      return { id, props: props ?? {} };
    },
    async update(id, olds, news) {
      record("update", { id, olds, news });
      return { outs: { ...userProps(news), out: `out-${String(news.replaceKey)}` } };
    },
    async delete(id, props) {
      record("delete", { id, props });
    },
  };
}

/** Inputs of {@link RecordingThing}. */
export interface RecordingArgs {
  name: pulumi.Input<string>;
  replaceKey?: pulumi.Input<string>;
  size?: pulumi.Input<number>;
  apiKey?: pulumi.Input<string>;
  upstream?: pulumi.Input<string>;
  dbr?: boolean;
  invalid?: boolean;
}

/** A resource over a recording provider. */
export class RecordingThing extends pulumi.dynamic.Resource {
  declare readonly out: pulumi.Output<string>;

  /** Registers the resource; `out` is listed as undefined so the SDK exposes it as an output. */
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    args: RecordingArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(provider, name, { out: undefined, ...args }, opts, "recording", "Thing");
  }
}

/** What one CLI command (or its simulation) made the provider do. */
export interface Run {
  calls: RecordedCall[];
  /** Set when the command failed. */
  error?: string;
}

/** Runs `action` and returns the calls it recorded in `logFile`, and its error if it failed. */
export async function recordRun(logFile: string, action: () => Promise<unknown>): Promise<Run> {
  drainCalls(logFile);
  let error: string | undefined;
  try {
    await action();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  return { calls: drainCalls(logFile), ...(error === undefined ? {} : { error }) };
}

/** Reads and clears the recorded calls. */
export function drainCalls(logFile: string): RecordedCall[] {
  if (!fs.existsSync(logFile)) return [];
  const text = fs.readFileSync(logFile, "utf8");
  fs.writeFileSync(logFile, "");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as RecordedCall);
}

/**
 * Makes a recording comparable with another: ids become `<id1>`, `<id2>`... in order of first
 * appearance, and every `__provider` text becomes `<provider>` (both runs serialize the same object,
 * and several kilobytes of source text would bury the real difference).
 */
export function normalise(calls: RecordedCall[]): RecordedCall[] {
  const ids = new Map<string, string>();
  const text = JSON.stringify(calls).replace(/rec-[a-z0-9]+-[a-z0-9]+/g, (id) => {
    if (!ids.has(id)) ids.set(id, `<id${ids.size + 1}>`);
    return ids.get(id)!;
  });
  return JSON.parse(text, (key, value) =>
    key === "__provider" && typeof value === "string" ? "<provider>" : value,
  ) as RecordedCall[];
}

/** The `name` input a call is about; `configure` has none. */
export function callSubject(call: RecordedCall): string {
  const bags = ["news", "inputs", "props", "olds"].map(
    (k) => call.args[k] as Record<string, unknown> | undefined,
  );
  const named = bags.find((b) => b && typeof b.name === "string");
  return typeof named?.name === "string" ? named.name : `(${call.method})`;
}

/**
 * Each resource's calls, in order and normalised. The engine runs independent resources in
 * parallel, so only the order within one resource (and along dependencies) is deterministic.
 */
export function bySubject(calls: RecordedCall[]): Record<string, RecordedCall[]> {
  const groups: Record<string, RecordedCall[]> = {};
  for (const call of calls) (groups[callSubject(call)] ??= []).push(call);
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, normalise(v)]));
}

/** `subject.method` in call order, for scenarios whose resources depend on each other. */
export function interleaving(calls: RecordedCall[]): string[] {
  return calls.map((c) => `${callSubject(c)}.${c.method}`);
}

/** The parts of a stored resource (`pulumi stack export` or the simulator's state) that are compared. */
export interface StoredResource {
  urn: string;
  type: string;
  inputs?: Props;
  outputs?: Props;
  delete?: boolean;
}

/** Name, pending-delete flag, inputs and outputs of each resource, ciphertext and `__provider` normalised. */
export function storedShape(resources: StoredResource[]): string[] {
  const replacer = (key: string, value: unknown) =>
    key === "ciphertext"
      ? "<ciphertext>"
      : key === "__provider" && typeof value === "string"
        ? "<provider>"
        : value;
  return resources
    .map((r) => {
      const shape = {
        name: r.urn.split("::").pop(),
        delete: r.delete === true,
        inputs: r.inputs,
        outputs: r.outputs,
      };
      return JSON.stringify(shape, replacer);
    })
    .sort();
}
