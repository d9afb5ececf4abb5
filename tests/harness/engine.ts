/**
 * An engine simulator: drives a {@link ProviderHost} through up / preview / refresh / destroy with
 * the same RPC sequence, secret handling and state bookkeeping as the Pulumi engine (see
 * `pulumi-dynamic-providers.md` §7), and renders the state Pulumi would persist.
 *
 * @packageDocumentation
 */
import { ConfigureReply, DiffReply, Props } from "./hostMessages";
import { ProviderHost } from "./providerHost";
import { DEFAULT_PROJECT } from "./projectDir";
import { HostRpcError } from "./rpcError";
import { Secret, isSecret, secretKeysOf, stripSecrets, wireSecret } from "./secrets";
import { ResourceState, serializeState, SerializedState } from "./stateFile";
import {
  CheckFailedError,
  EngineOptions,
  Goal,
  NODEJS_PROVIDER_TYPE,
  PROVIDER_KEY,
  PreviewResult,
  RefreshResult,
  UpOptions,
  UpResult,
  decide,
  omitInitErrors,
  secretKeysFor,
  union,
} from "./engineSteps";

export { UNKNOWN, secret } from "./secrets";
export type { Secret } from "./secrets";
export type { ResourceState, SerializedState } from "./stateFile";
export { CheckFailedError, NODEJS_PROVIDER_TYPE, PROVIDER_KEY } from "./engineSteps";
export type { EngineOptions, PreviewResult, RefreshResult, StepOp, UpOptions, UpResult } from "./engineSteps";

/** Simulates the Pulumi engine for one or many dynamic resources served by one host. */
export class EngineSimulator {
  /** Resources by name, in creation order. */
  private readonly resources = new Map<string, ResourceState>();
  /** Replaced objects whose delete failed; Pulumi keeps them in state marked `delete: true`. */
  readonly pendingDeletes: ResourceState[] = [];
  private configured = false;
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
    const diff = await this.diff(old, checked, opts);
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
    if (dbr) {
      await this.deleteObject(old);
      this.resources.delete(name);
    }
    const created = await this.createResource(name, type, fresh, goal, dbr ? undefined : old);
    if (!dbr) {
      try {
        await this.deleteObject(old);
      } catch (err) {
        this.pendingDeletes.push(old);
        throw err;
      }
    }
    return { ...created, op: "replace", diff };
  }

  /** Runs a preview: only check and diff are sent (unknowns allowed) and nothing is recorded. */
  async preview(name: string, type: string, inputs: Props, opts: UpOptions = {}): Promise<PreviewResult> {
    const urn = this.requireReady(name, type);
    const goal = this.goal(inputs, opts);
    const old = this.resources.get(name);
    const checked = await this.check(urn, old?.inputs ?? {}, goal.news);
    if (!old) return { op: "create", inputs: checked };
    const diff = await this.diff(old, checked, opts);
    const op = decide(diff, old, checked);
    if (op !== "replace") return { op, inputs: checked, diff };
    return { op, inputs: await this.check(urn, {}, goal.news), diff };
  }

  /** Runs `pulumi refresh` for one resource: read with old outputs and inputs. */
  async refresh(name: string): Promise<RefreshResult> {
    const old = this.mustGet(name);
    const reply = await this.host.read({
      id: old.id,
      urn: old.urn,
      properties: old.outputs,
      inputs: old.inputs,
    });
    if (!reply.id) {
      this.resources.delete(name);
      return { op: "gone" };
    }
    const inputs = reply.inputs ?? old.inputs;
    const next: ResourceState = {
      ...omitInitErrors(old),
      id: reply.id,
      inputs,
      outputs: reply.properties,
      secretKeys: old.secretKeys.filter((k) => k in reply.properties || k in inputs),
    };
    this.resources.set(name, next);
    return { op: "refresh", state: structuredClone(next) };
  }

  /** Runs `pulumi destroy` for one resource: delete with old outputs and inputs, then forget it. */
  async destroy(name: string): Promise<void> {
    await this.deleteObject(this.mustGet(name));
    this.resources.delete(name);
  }

  /** Destroys every resource (newest first), then retries pending deletes. */
  async destroyAll(): Promise<void> {
    for (const name of [...this.resources.keys()].reverse()) await this.destroy(name);
    while (this.pendingDeletes.length > 0) {
      await this.deleteObject(this.pendingDeletes[0]);
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
    const provider = opts.provider ?? this.options.provider;
    const raw: Props = provider === undefined ? { ...inputs } : { [PROVIDER_KEY]: provider, ...inputs };
    if (raw[PROVIDER_KEY] === undefined) {
      throw new Error(`no ${PROVIDER_KEY}: pass EngineOptions.provider or UpOptions.provider`);
    }
    return { news: stripSecrets(raw), secretInputs: new Set(secretKeysOf(raw)), opts };
  }

  private async check(urn: string, olds: Props, news: Props): Promise<Props> {
    const reply = await this.host.check({ urn, olds, news });
    if (reply.failures.length > 0) throw new CheckFailedError(urn, reply.failures);
    return reply.inputs;
  }

  private diff(old: ResourceState, news: Props, opts: UpOptions): Promise<DiffReply> {
    return this.host.diff({
      id: old.id,
      urn: old.urn,
      olds: old.outputs,
      news,
      oldInputs: old.inputs,
      ignoreChanges: opts.ignoreChanges,
    });
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
    const failed = err instanceof HostRpcError ? err.initFailed : undefined;
    if (!failed) return false;
    const next = this.record(base, failed.id, failed.inputs ?? inputs, failed.properties, goal);
    next.initErrors = failed.reasons;
    return true;
  }

  private async deleteObject(s: ResourceState): Promise<void> {
    await this.host.delete({ id: s.id, urn: s.urn, properties: s.outputs, oldInputs: s.inputs });
  }

  private mustGet(name: string): ResourceState {
    const s = this.resources.get(name);
    if (!s) throw new Error(`no resource named ${name} in state`);
    return s;
  }
}
