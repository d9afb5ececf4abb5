/**
 * The engine simulator's vocabulary (options, results, errors) and the engine's decision rules:
 * which step follows a diff, and which keys end up secret.
 *
 * @packageDocumentation
 */
import { isDeepStrictEqual } from "util";
import { CheckFailure, DiffReply, Props } from "./hostMessages";
import { Secret } from "./secrets";
import { ResourceState } from "./stateFile";

/** Property under which `dynamic.Resource` stores the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Type token of the default provider that owns every dynamic resource. */
export const NODEJS_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

/** What an up (or a preview of one) does to a resource. */
export type StepOp = "create" | "update" | "replace" | "same";

/** Result of {@link EngineSimulator.up}. */
export interface UpResult {
  op: StepOp;
  id: string;
  /** Stored outputs, without secret wrappers; see `secretKeys`. */
  outputs: Props;
  secretKeys: string[];
  /** The provider's diff reply; absent for a create. */
  diff?: DiffReply;
}

/** Result of {@link EngineSimulator.preview}: nothing is created, updated or recorded. */
export interface PreviewResult {
  op: StepOp;
  /** Checked inputs (may hold the `UNKNOWN` sentinel). */
  inputs: Props;
  diff?: DiffReply;
}

/** Result of {@link EngineSimulator.refresh}. */
export interface RefreshResult {
  /** `"gone"` when the provider's read returned an empty id and the resource left the state. */
  op: "refresh" | "gone";
  state?: ResourceState;
}

/** Per-resource options, mirroring the resource options that change engine behaviour. */
export interface UpOptions {
  /** Overrides the provider's `deleteBeforeReplace`, as the resource option does. */
  deleteBeforeReplace?: boolean;
  /** Output names to store as secrets regardless of inputs. */
  additionalSecretOutputs?: string[];
  /** `__provider` text for this resource; defaults to the simulator's. */
  provider?: string | Secret<string>;
  ignoreChanges?: string[];
}

/** Options for {@link EngineSimulator}. */
export interface EngineOptions {
  /** Default `__provider` text (from `captureProviderText`); wrap it with `secret()` if it captured secrets. */
  provider?: string | Secret<string>;
  /** Must match the host's `PULUMI_NODEJS_PROJECT`. Defaults to `DEFAULT_PROJECT` ("harness-project"). */
  project?: string;
  stack?: string;
}

/** Thrown when `check` returns failures; the engine stops the resource there. */
export class CheckFailedError extends Error {
  /** Builds the error from the failures the provider returned. */
  constructor(
    readonly urn: string,
    readonly failures: CheckFailure[],
  ) {
    super(
      `check failed for ${urn}: ${failures.map((f) => `${f.property || "<resource>"}: ${f.reason}`).join("; ")}`,
    );
    this.name = "CheckFailedError";
  }
}

/** What the program asked for: stripped inputs plus which of them were secret. */
export interface Goal {
  news: Props;
  secretInputs: Set<string>;
  opts: UpOptions;
}

/** The engine's step decision after a diff (including its own input comparison for DIFF_UNKNOWN). */
export function decide(diff: DiffReply, old: ResourceState, news: Props): StepOp {
  const changes =
    diff.changes === "unknown" ? (isDeepStrictEqual(old.inputs, news) ? "none" : "some") : diff.changes;
  if (changes === "some") return diff.replaces.length > 0 ? "replace" : "update";
  // An unchanged resource with init errors still gets an update, to retry initialisation.
  return old.initErrors && old.initErrors.length > 0 ? "update" : "same";
}

/** Secret inputs stay secret; an output is secret when the same-named input was (or it is listed). */
export function secretKeysFor(goal: Goal, inputs: Props, outputs: Props): string[] {
  const extra = (goal.opts.additionalSecretOutputs ?? []).filter((k) => k in outputs);
  return union(
    [...goal.secretInputs].filter((k) => k in inputs || k in outputs),
    extra,
  );
}

/** Sorted union of two key lists. */
export function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** A copy of the state without `initErrors`, for steps that succeed. */
export function omitInitErrors(s: ResourceState): ResourceState {
  const { initErrors: _ignored, ...rest } = s;
  return rest;
}
