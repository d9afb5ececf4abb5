/**
 * The engine simulator's vocabulary (options, results, errors) and the engine's decision rules:
 * which step follows a diff, and which keys end up secret.
 *
 * @packageDocumentation
 */
import { isDeepStrictEqual } from "util";
import { brandedError, hasBrand } from "./brandedError";
import { CheckFailure, DiffReply, Props } from "./hostMessages";
import type { ProviderHost } from "./providerHost";
import { Secret, UNKNOWN, secretKeysOf, stripSecrets } from "./secrets";
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
  /** Dependents deleted ahead of a delete-before-replace because their diff asked for a replace. */
  replacedDependents?: string[];
}

/** Result of {@link EngineSimulator.preview}: nothing is created, updated or recorded. */
export interface PreviewResult {
  op: StepOp;
  /** Checked inputs (may hold the `UNKNOWN` sentinel). */
  inputs: Props;
  diff?: DiffReply;
  /** Dependents a delete-before-replace would replace too (see {@link UpOptions.dependents}). */
  replacedDependents?: string[];
}

/** Result of {@link EngineSimulator.refresh}. */
export interface RefreshResult {
  /** `"gone"` when the provider's read returned an empty id and the resource left the state. */
  op: "refresh" | "gone";
  state?: ResourceState;
  /**
   * The diff the engine asks for after a successful read: olds = refreshed outputs, news = the inputs
   * stored before the refresh. The engine only displays it (inverted), but a throwing diff fails the refresh.
   */
  diff?: DiffReply;
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
  /**
   * Resources in state whose listed inputs were taken from this resource's outputs (the engine's
   * property dependencies). Before a delete-before-replace the engine diffs each with those inputs
   * unknown and, when the diff asks for a replace, deletes it first; its next up is then a create.
   */
  dependents?: Record<string, string[]>;
}

/**
 * One `pulumi up` or `pulumi preview` spanning several resources (see {@link EngineSimulator.deployment}).
 * The engine deletes replaced objects only once every other step is done.
 */
export interface DeploymentScope {
  /** Replaced objects (create-before-delete) whose delete waits for the end of the deployment. */
  deferredDeletes: ResourceState[];
  /** Names a previewed delete-before-replace slated for replacement; their own preview is a create. */
  plannedReplacements: Set<string>;
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
export interface CheckFailedError extends Error {
  name: "CheckFailedError";
  readonly urn: string;
  /** The failures the provider returned. */
  readonly failures: CheckFailure[];
}

function checkFailedError(urn: string, failures: CheckFailure[]): CheckFailedError {
  const reasons = failures.map((f) => `${f.property || "<resource>"}: ${f.reason}`).join("; ");
  return brandedError(
    "CheckFailedError",
    `check failed for ${urn}: ${reasons}`,
    { urn, failures },
    checkFailedError,
  );
}

/** Whether `value` is a {@link CheckFailedError} (from any copy of this module). */
export function isCheckFailedError(value: unknown): value is CheckFailedError {
  return hasBrand(value, "CheckFailedError");
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

/** Whether a diff asks for a replacement (what the engine checks for dependents of a delete-before-replace). */
function wantsReplace(diff: DiffReply): boolean {
  return diff.changes !== "none" && diff.replaces.length > 0;
}

/** A dependent's stored inputs with the properties taken from a resource being replaced set to unknown. */
function dependentDiffInputs(state: ResourceState, properties: string[]): Props {
  const inputs: Props = { ...state.inputs };
  for (const k of properties) if (k in inputs) inputs[k] = UNKNOWN;
  return inputs;
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

/** The goal state for one resource: `__provider` (from the options) plus the inputs, secrets noted and stripped. */
export function makeGoal(inputs: Props, opts: UpOptions, defaultProvider?: string | Secret<string>): Goal {
  const provider = opts.provider ?? defaultProvider;
  const raw: Props = provider === undefined ? { ...inputs } : { [PROVIDER_KEY]: provider, ...inputs };
  if (raw[PROVIDER_KEY] === undefined) {
    throw new Error(`no ${PROVIDER_KEY}: pass EngineOptions.provider or UpOptions.provider`);
  }
  return { news: stripSecrets(raw), secretInputs: new Set(secretKeysOf(raw)), opts };
}

/** `Check`; failures stop the resource, so they are thrown. */
export async function checkStep(host: ProviderHost, urn: string, olds: Props, news: Props): Promise<Props> {
  const reply = await host.check({ urn, olds, news });
  if (reply.failures.length > 0) throw checkFailedError(urn, reply.failures);
  return reply.inputs;
}

/** `Diff` of a resource in state against new inputs: olds are its OUTPUTS. */
export function diffStep(
  host: ProviderHost,
  old: ResourceState,
  news: Props,
  ignoreChanges?: string[],
): Promise<DiffReply> {
  return host.diff({
    id: old.id,
    urn: old.urn,
    olds: old.outputs,
    news,
    oldInputs: old.inputs,
    ignoreChanges,
  });
}

/** `Delete` with the stored outputs and inputs. */
export async function deleteStep(host: ProviderHost, s: ResourceState): Promise<void> {
  await host.delete({ id: s.id, urn: s.urn, properties: s.outputs, oldInputs: s.inputs });
}

/** Deletes `queue` in order; from the first failure on, the rest are kept in `pending` (state `delete: true`). */
export async function deleteOrKeepPending(
  host: ProviderHost,
  queue: ResourceState[],
  pending: ResourceState[],
): Promise<void> {
  for (let i = 0; i < queue.length; i++) {
    try {
      await deleteStep(host, queue[i]);
    } catch (err) {
      pending.push(...queue.slice(i));
      throw err;
    }
  }
}

/**
 * Before a delete-before-replace the engine diffs each dependent with the inputs it took from the
 * replaced resource set to unknown (no check first); those whose diff asks for a replace are returned.
 */
export async function dependentReplacements(
  host: ProviderHost,
  dependents: Record<string, string[]> | undefined,
  lookup: (name: string) => ResourceState,
): Promise<ResourceState[]> {
  const doomed: ResourceState[] = [];
  for (const [name, properties] of Object.entries(dependents ?? {})) {
    const dep = lookup(name);
    if (wantsReplace(await diffStep(host, dep, dependentDiffInputs(dep, properties)))) doomed.push(dep);
  }
  return doomed;
}

/**
 * `Read`, then (when the object still exists) the diff the engine uses to display drift: "what would
 * an up right after this refresh change?", so the refreshed state stands in for the old one and the
 * inputs stored before the refresh for the program's. Returns no `next` state when the object is gone.
 */
export async function refreshStep(
  host: ProviderHost,
  old: ResourceState,
): Promise<{ next?: ResourceState; diff?: DiffReply }> {
  const reply = await host.read({ id: old.id, urn: old.urn, properties: old.outputs, inputs: old.inputs });
  if (!reply.id) return {};
  const inputs = reply.inputs ?? old.inputs;
  const outputs = reply.properties;
  const next: ResourceState = {
    ...omitInitErrors(old),
    id: reply.id,
    inputs,
    outputs,
    secretKeys: old.secretKeys.filter((k) => k in outputs || k in inputs),
  };
  const diff = await diffStep(host, next, old.inputs);
  return { next, diff };
}
