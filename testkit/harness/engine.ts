/**
 * An engine simulator: drives a {@link ProviderHost} through up / preview / refresh / destroy with
 * the same RPC sequence, secret handling and state bookkeeping as the Pulumi engine (see
 * `pulumi-dynamic-providers.md` §7), and renders the state Pulumi would persist. Several resources
 * changed by one `pulumi up` go through {@link EngineSimulator.deployment}. What reaches the handlers
 * is checked against the real CLI by `tests/acceptance/engineFidelity.spec.ts`.
 *
 * @packageDocumentation
 */
import { ConfigureReply, Props } from "./hostMessages";
import { ProviderHost } from "./providerHost";
import { DEFAULT_PROJECT } from "./projectDir";
import { isHostRpcError } from "./rpcError";
import { Secret, isSecret, wireSecret } from "./secrets";
import { ResourceState, serializeState, SerializedState } from "./stateFile";
import {
  DeploymentScope,
  EngineOptions,
  Goal,
  NODEJS_PROVIDER_TYPE,
  PreviewResult,
  RefreshResult,
  UpOptions,
  UpResult,
  checkStep,
  decide,
  deleteOrKeepPending,
  deleteStep,
  dependentReplacements,
  diffStep,
  makeGoal,
  omitInitErrors,
  refreshStep,
  secretKeysFor,
  union,
} from "./engineSteps";

export { UNKNOWN, secret } from "./secrets";
export type { Secret } from "./secrets";
export type { ResourceState, SerializedState } from "./stateFile";
export { isCheckFailedError, NODEJS_PROVIDER_TYPE, PROVIDER_KEY } from "./engineSteps";
export type { CheckFailedError } from "./engineSteps";
export type { DeploymentScope, EngineOptions, PreviewResult, RefreshResult } from "./engineSteps";
export type { StepOp, UpOptions, UpResult } from "./engineSteps";

/** Simulates the Pulumi engine for one or many dynamic resources served by one host. */
export class EngineSimulator {
  /** Resources by name, in creation order. */
  private readonly resources = new Map<string, ResourceState>();
  /** Replaced objects whose delete failed; Pulumi keeps them in state marked `delete: true`. */
  readonly pendingDeletes: ResourceState[] = [];
  private configured = false;
  /** Set while {@link deployment} runs. */
  private scope: DeploymentScope | undefined;
  readonly project: string;
  readonly stack: string;

  /** Creates a simulator that talks to `host`. Call {@link configure} before anything else. */
  constructor(
    public host: ProviderHost,
    private readonly options: EngineOptions = {},
  ) {
    this.project = options.project ?? DEFAULT_PROJECT;
    this.stack = options.stack ?? "dev";
  }

  /**
   * Switches to another host process (e.g. after the previous one was killed), keeping the state,
   * as a new `pulumi up` would. Configure must be sent to the new host before CRUD calls.
   */
  useHost(host: ProviderHost): void {
    this.host = host;
    this.configured = false;
  }

  /** URN the engine gives a top-level resource. */
  urn(name: string, type: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  /**
   * Sends the whole stack config to the default `pulumi-nodejs` provider: un-namespaced keys get the
   * project prefix, `{ secret: v }` values go in the signature form. Asserts the host declines secrets,
   * which is what obliges the engine to strip them from every later call.
   */
  async configure(config: Record<string, string | Secret<string>>): Promise<ConfigureReply> {
    const args: Props = {};
    for (const [k, v] of Object.entries(config)) {
      args[k.includes(":") ? k : `${this.project}:${k}`] = isSecret(v) ? wireSecret(v.secret) : v;
    }
    const reply = await this.host.configure({
      args,
      type: NODEJS_PROVIDER_TYPE,
      name: "default",
      urn: this.urn("default", NODEJS_PROVIDER_TYPE),
    });
    if (reply.acceptSecrets !== false) {
      throw new Error(`dynamic-provider host unexpectedly accepted secrets: ${JSON.stringify(reply)}`);
    }
    this.configured = true;
    return reply;
  }

  /** Runs `pulumi up` for one resource: check, then create, or diff and same / update / replace. */
  async up(name: string, type: string, inputs: Props, opts: UpOptions = {}): Promise<UpResult> {
    const urn = this.requireReady(name, type);
    const goal = this.goal(inputs, opts);
    const old = this.resources.get(name);
    const checked = await this.check(urn, old?.inputs ?? {}, goal.news);
    if (!old) return this.createResource(name, type, checked, goal);
    const diff = await diffStep(this.host, old, checked, opts.ignoreChanges);
    const op = decide(diff, old, checked);
    if (op === "same") {
      const keys = union(
        secretKeysFor(goal, checked, old.outputs),
        old.secretKeys.filter((k) => k in old.outputs),
      );
      this.resources.set(name, { ...omitInitErrors(old), inputs: checked, secretKeys: keys });
      return structuredClone({ op, id: old.id, outputs: old.outputs, secretKeys: keys, diff });
    }
    if (op === "update") {
      let outputs: Props;
      try {
        ({ properties: outputs } = await this.host.update({
          id: old.id,
          urn,
          olds: old.outputs,
          news: checked,
          oldInputs: old.inputs,
          ignoreChanges: opts.ignoreChanges,
        }));
      } catch (err) {
        this.recordInitFailure(err, old, checked, goal);
        throw err;
      }
      const next = this.record(old, old.id, checked, outputs, goal);
      return structuredClone({ op, id: next.id, outputs, secretKeys: next.secretKeys, diff });
    }
    // The engine re-checks without olds before a replacement, so defaults are computed afresh.
    const fresh = await this.check(urn, {}, goal.news);
    const dbr = opts.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    let replacedDependents: string[] | undefined;
    if (dbr) {
      const doomed = await dependentReplacements(this.host, opts.dependents, (n) => this.mustGet(n));
      // Dependents go first, newest first, as the engine deletes in reverse dependency order.
      for (const dep of [...doomed].reverse()) {
        await deleteStep(this.host, dep);
        this.resources.delete(dep.name);
      }
      replacedDependents = doomed.map((d) => d.name);
      await deleteStep(this.host, old);
      this.resources.delete(name);
    }
    const created = await this.createResource(name, type, fresh, goal, dbr ? undefined : old);
    if (!dbr && this.scope) {
      // Within a deployment the old object outlives the steps of its dependents.
      this.scope.deferredDeletes.push(old);
    } else if (!dbr) {
      await this.deleteReplaced(old);
    }
    return { ...created, op: "replace", diff, ...(replacedDependents ? { replacedDependents } : {}) };
  }

  /** Runs a preview: only check and diff are sent (unknowns allowed) and nothing is recorded. */
  async preview(name: string, type: string, inputs: Props, opts: UpOptions = {}): Promise<PreviewResult> {
    const urn = this.requireReady(name, type);
    const goal = this.goal(inputs, opts);
    const old = this.resources.get(name);
    if (old && this.scope?.plannedReplacements.has(name)) {
      // Slated for replacement by a delete-before-replace earlier in this preview: checked as a create.
      return { op: "replace", inputs: await this.check(urn, {}, goal.news) };
    }
    const checked = await this.check(urn, old?.inputs ?? {}, goal.news);
    if (!old) return { op: "create", inputs: checked };
    const diff = await diffStep(this.host, old, checked, opts.ignoreChanges);
    const op = decide(diff, old, checked);
    if (op !== "replace") return { op, inputs: checked, diff };
    const fresh = await this.check(urn, {}, goal.news);
    if (!(opts.deleteBeforeReplace ?? diff.deleteBeforeReplace)) return { op, inputs: fresh, diff };
    const doomed = await dependentReplacements(this.host, opts.dependents, (n) => this.mustGet(n));
    const replacedDependents = doomed.map((d) => d.name);
    for (const n of replacedDependents) this.scope?.plannedReplacements.add(n);
    return { op, inputs: fresh, diff, replacedDependents };
  }

  /**
   * Runs `steps` (several {@link up} or {@link preview} calls) as one deployment, as a single
   * `pulumi up` does: objects replaced create-before-delete are deleted only after every step, newest
   * first. If a step throws, they stay in state pending deletion, as the engine leaves them.
   */
  async deployment<T>(steps: () => Promise<T>): Promise<T> {
    if (this.scope) throw new Error("deployment() does not nest");
    const scope: DeploymentScope = { deferredDeletes: [], plannedReplacements: new Set() };
    this.scope = scope;
    let result: T;
    try {
      result = await steps();
    } catch (err) {
      this.pendingDeletes.push(...scope.deferredDeletes);
      throw err;
    } finally {
      this.scope = undefined;
    }
    await deleteOrKeepPending(this.host, [...scope.deferredDeletes].reverse(), this.pendingDeletes);
    return result;
  }

  /** Runs `pulumi refresh` for one resource: read with old outputs and inputs, then {@link RefreshResult.diff}. */
  async refresh(name: string): Promise<RefreshResult> {
    const { next, diff } = await refreshStep(this.host, this.mustGet(name));
    if (!next) {
      this.resources.delete(name);
      return { op: "gone" };
    }
    this.resources.set(name, next);
    return { op: "refresh", state: structuredClone(next), diff };
  }

  /** Runs `pulumi destroy` for one resource: delete with old outputs and inputs, then forget it. */
  async destroy(name: string): Promise<void> {
    await deleteStep(this.host, this.mustGet(name));
    this.resources.delete(name);
  }

  /** Destroys every resource (newest first), then retries pending deletes. */
  async destroyAll(): Promise<void> {
    for (const name of [...this.resources.keys()].reverse()) await this.destroy(name);
    while (this.pendingDeletes.length > 0) {
      await deleteStep(this.host, this.pendingDeletes[0]);
      this.pendingDeletes.shift();
    }
  }

  /** A copy of a resource's state, or undefined when it is not in the state. */
  state(name: string): ResourceState | undefined {
    const s = this.resources.get(name);
    return s && structuredClone(s);
  }

  /** Names of the resources in state, in creation order. */
  names(): string[] {
    return [...this.resources.keys()];
  }

  /** The state Pulumi would persist, with every secret replaced by a ciphertext placeholder. */
  serializedState(): SerializedState {
    return serializeState([...this.resources.values()], this.pendingDeletes);
  }

  /** {@link serializedState} as JSON text, for "does the secret leak?" assertions. */
  stateText(): string {
    return JSON.stringify(this.serializedState(), null, 4);
  }

  private requireReady(name: string, type: string): string {
    if (!this.configured)
      throw new Error("configure() must run first: the engine always configures before CRUD");
    const old = this.resources.get(name);
    if (old && old.type !== type) throw new Error(`${name} already exists with type ${old.type}`);
    return this.urn(name, type);
  }

  private goal(inputs: Props, opts: UpOptions): Goal {
    return makeGoal(inputs, opts, this.options.provider);
  }

  private check(urn: string, olds: Props, news: Props): Promise<Props> {
    return checkStep(this.host, urn, olds, news);
  }

  private async createResource(
    name: string,
    type: string,
    inputs: Props,
    goal: Goal,
    replacing?: ResourceState,
  ): Promise<UpResult> {
    const base = { urn: this.urn(name, type), type, name, id: "", inputs: {}, outputs: {}, secretKeys: [] };
    let reply: { id: string; properties: Props };
    try {
      reply = await this.host.create({ urn: base.urn, properties: inputs });
    } catch (err) {
      // A half-created replacement takes over the name, so the old object must still be deleted later.
      if (this.recordInitFailure(err, base, inputs, goal) && replacing) this.pendingDeletes.push(replacing);
      throw err;
    }
    const next = this.record(base, reply.id, inputs, reply.properties, goal);
    return structuredClone({ op: "create", id: next.id, outputs: next.outputs, secretKeys: next.secretKeys });
  }

  private record(base: ResourceState, id: string, inputs: Props, outputs: Props, goal: Goal): ResourceState {
    const next: ResourceState = {
      ...omitInitErrors(base),
      id,
      inputs,
      outputs,
      secretKeys: secretKeysFor(goal, inputs, outputs),
    };
    this.resources.set(next.name, next);
    return next;
  }

  /** Records "created but failed to initialise" state; returns whether the error carried one. */
  private recordInitFailure(err: unknown, base: ResourceState, inputs: Props, goal: Goal): boolean {
    const failed = isHostRpcError(err) ? err.initFailed : undefined;
    if (!failed) return false;
    const next = this.record(base, failed.id, failed.inputs ?? inputs, failed.properties, goal);
    next.initErrors = failed.reasons;
    return true;
  }

  /** Deletes a replaced object; one that will not go is kept in state pending deletion. */
  private async deleteReplaced(old: ResourceState): Promise<void> {
    try {
      await deleteStep(this.host, old);
    } catch (err) {
      this.pendingDeletes.push(old);
      throw err;
    }
  }

  private mustGet(name: string): ResourceState {
    const s = this.resources.get(name);
    if (!s) throw new Error(`no resource named ${name} in state`);
    return s;
  }
}
