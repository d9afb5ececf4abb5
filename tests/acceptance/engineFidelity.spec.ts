import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { captureProviderText } from "../../testkit/harness/captureProvider";
import { EngineSimulator, UNKNOWN, secret, type UpOptions } from "../../testkit/harness/engine";
import { makeProjectDir, type ProjectDir } from "../../testkit/harness/projectDir";
import { startProviderHost, type ProviderHost } from "../../testkit/harness/providerHost";
import {
  RECORDING_TYPE,
  RecordingThing,
  bySubject,
  callSubject,
  interleaving,
  makeRecordingProvider,
  recordRun,
  storedShape,
  type RecordingArgs,
  type Run,
  type StoredResource,
} from "./recordingProvider";
import { acceptanceCli, CLI_BUILD_TIMEOUT_MS, realEngineSkipReason } from "./realEngine";

const PROJECT = "fidelity";
const STACK = "dev";
// The provider is serialized with this path in it, so it must be fixed before the program runs.
const LOG = path.join(os.tmpdir(), `engine-fidelity-${process.pid}.log`);
const provider = makeRecordingProvider(LOG);
const CONFIG = { plain: "p1", token: secret("tok"), "other:key": "o" };

type Inputs = Record<string, unknown>;
/** Inputs of resource `a` for the simulator (secrets as `secret(...)`). */
const aInputs = (extra: Inputs = {}): Inputs => ({ name: "a", replaceKey: "k1", size: 1, ...extra });

/** A program with resource `a` and, optionally, `b` taking `a.out` as `upstream` or as its `replaceKey`. */
function program(
  a: Partial<RecordingArgs>,
  aOpts?: pulumi.CustomResourceOptions,
  b?: "upstream" | "replaceKey",
): () => void {
  return () => {
    const first = new RecordingThing(provider, "a", { name: "a", replaceKey: "k1", size: 1, ...a }, aOpts);
    if (b === "upstream") new RecordingThing(provider, "b", { name: "b", upstream: first.out });
    if (b === "replaceKey") new RecordingThing(provider, "b", { name: "b", replaceKey: first.out });
  };
}

const reason = realEngineSkipReason();

// The same scenarios through the real Pulumi CLI and through EngineSimulator, with one recording
// provider and one stack: every handler call and the stored state after each command must match.
(reason ? describe.skip : describe)(
  `EngineSimulator fidelity to the Pulumi CLI${reason ? ` (skipped: ${reason})` : ""}`,
  function () {
    this.timeout(600_000);
    let cli: PulumiCommand;
    let project: ProjectDir;
    let backendDir: string;
    let envVars: Record<string, string>;
    let stack: Stack;
    let host: ProviderHost | undefined;
    let engine: EngineSimulator | undefined;
    let providerText: string;
    let current: () => void = () => undefined;

    before(async function () {
      this.timeout(CLI_BUILD_TIMEOUT_MS);
      cli = await acceptanceCli();
      providerText = await captureProviderText(() => new RecordingThing(provider, "capture", { name: "c" }));
      project = await makeProjectDir({ project: PROJECT });
      backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-fidelity-state-"));
      envVars = {
        PULUMI_BACKEND_URL: `file://${backendDir.replace(/\\/g, "/")}`,
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      };
      stack = await LocalWorkspace.createStack(
        { stackName: STACK, projectName: PROJECT, program: async () => current() },
        { workDir: project.dir, pulumiCommand: cli, envVars },
      );
      await stack.setAllConfig({
        [`${PROJECT}:plain`]: { value: "p1" },
        [`${PROJECT}:token`]: { value: "tok", secret: true },
        "other:key": { value: "o" },
      });
    });

    after(async () => {
      await host?.stop();
      await stack?.workspace.removeStack(STACK, { force: true }).catch(() => undefined);
      if (backendDir) fs.rmSync(backendDir, { recursive: true, force: true });
      await project?.cleanup();
      for (const f of [LOG, `${LOG}.gone`]) fs.rmSync(f, { force: true });
    });

    const sim = () => engine ?? assert.fail("no simulation has run yet");
    const up = (name: string, inputs: Inputs, opts?: UpOptions) =>
      sim().up(name, RECORDING_TYPE, inputs, opts);
    const out = (name: string) => sim().state(name)!.outputs.out;

    /** `a`, then `b` with `a.out` (or `bValue`) as its `bKey`, as one deployment. */
    const pair =
      (op: "up" | "preview", a: Inputs, aOpts: UpOptions | undefined, bKey: string, bValue?: string) => () =>
        sim().deployment(async () => {
          await sim()[op]("a", RECORDING_TYPE, aInputs(a), aOpts);
          await sim()[op]("b", RECORDING_TYPE, { name: "b", [bKey]: bValue ?? out("a") });
        });
    const refreshBoth = async () => [await sim().refresh("a"), await sim().refresh("b")];

    /** Runs one real CLI command (with `next` as the new program) and its simulation; both must agree. */
    async function scenario(
      op: "up" | "preview" | "refresh" | "destroy",
      next: (() => void) | undefined,
      steps: () => Promise<unknown>,
      ordered = true,
    ): Promise<Run> {
      if (next) current = next;
      const realRun = await recordRun(LOG, () => stack[op]({ color: "never" }));
      const simRun = await recordRun(LOG, async () => {
        // Each CLI command starts its own provider process, so each simulation gets a new host.
        await host?.stop();
        host = await startProviderHost({ cwd: project.dir, project: PROJECT });
        if (engine) engine.useHost(host);
        else engine = new EngineSimulator(host, { provider: providerText, project: PROJECT, stack: STACK });
        await engine.configure(CONFIG);
        await steps();
      });
      assert.deepEqual(bySubject(simRun.calls), bySubject(realRun.calls));
      // Independent resources run in parallel under the CLI; only dependency chains have a fixed order.
      if (ordered) assert.deepEqual(interleaving(simRun.calls), interleaving(realRun.calls));
      assert.equal(
        simRun.error === undefined,
        realRun.error === undefined,
        `${simRun.error}/${realRun.error}`,
      );
      assert.deepEqual(storedShape(sim().serializedState().deployment.resources), realState());
      return realRun;
    }

    /** The dynamic resources `pulumi stack export` shows (secrets encrypted), normalised. */
    function realState(): string[] {
      const exported = spawnSync(cli.command, ["stack", "export", "--stack", STACK], {
        cwd: project.dir,
        env: { ...process.env, ...envVars },
        encoding: "utf8",
      });
      assert.equal(exported.status, 0, exported.stderr);
      const { deployment } = JSON.parse(exported.stdout) as { deployment: { resources?: StoredResource[] } };
      return storedShape((deployment.resources ?? []).filter((r) => r.type === RECORDING_TYPE));
    }

    describe("configure", () => {
      it("passes the whole stack config, decrypted and namespaced, before the first handler call", async () => {
        const run = await scenario("up", program({}), () => up("a", aInputs()));
        const config = { "fidelity:plain": "p1", "fidelity:token": "tok", "other:key": "o" };
        assert.deepEqual(run.calls[0], { method: "configure", args: { config, project: PROJECT } });
        assert.deepEqual(interleaving(run.calls).slice(1), ["a.check", "a.create"]);
      });
    });

    describe("up", () => {
      it("checks and diffs when nothing changed", () => scenario("up", undefined, () => up("a", aInputs())));

      it("updates with old outputs as olds when an input changes", () =>
        scenario("up", program({ size: 2 }), () => up("a", aInputs({ size: 2 }))));

      it("creates a dependent from the first resource's output", () =>
        scenario("up", program({ size: 2 }, undefined, "upstream"), pair("up", { size: 2 }, {}, "upstream")));

      it("deletes a replaced object only after its dependents are updated", async () => {
        const a = { size: 2, replaceKey: "k2" };
        const run = await scenario("up", program(a, undefined, "upstream"), pair("up", a, {}, "upstream"));
        assert.deepEqual(interleaving(run.calls).slice(-4), ["b.check", "b.diff", "b.update", "a.delete"]);
      });

      it("diffs dependents with unknowns before a deleteBeforeReplace set as a resource option", async () => {
        const a = { size: 2, replaceKey: "k3" };
        const opts = { deleteBeforeReplace: true, dependents: { b: ["upstream"] } };
        const run = await scenario(
          "up",
          program(a, { deleteBeforeReplace: true }, "upstream"),
          pair("up", a, opts, "upstream"),
        );
        const dependentDiff = run.calls.find((c) => c.method === "diff" && callSubject(c) === "b");
        assert.equal((dependentDiff?.args.news as Inputs).upstream, UNKNOWN);
      });

      it("diffs dependents with unknowns before a deleteBeforeReplace the provider asks for", () => {
        const a = { size: 2, replaceKey: "k4", dbr: true };
        const opts = { dependents: { b: ["upstream"] } };
        return scenario("up", program(a, undefined, "upstream"), pair("up", a, opts, "upstream"));
      });
    });

    describe("preview", () => {
      it("checks and diffs only when nothing changed", () =>
        scenario(
          "preview",
          undefined,
          pair("preview", { size: 2, replaceKey: "k4", dbr: true }, {}, "upstream"),
        ));

      it("sends the unknown sentinel for an input taken from a resource being updated", () => {
        // The host does not support preview, so every output of an updated resource is unknown.
        const a = { size: 3, replaceKey: "k4", dbr: true };
        return scenario(
          "preview",
          program(a, undefined, "upstream"),
          pair("preview", a, {}, "upstream", UNKNOWN),
        );
      });

      it("sends the unknown sentinel for an input taken from a resource being replaced", () => {
        const a = { size: 2, replaceKey: "k5" };
        return scenario(
          "preview",
          program(a, undefined, "upstream"),
          pair("preview", a, {}, "upstream", UNKNOWN),
        );
      });
    });

    describe("refresh", () => {
      it("reads each resource, then diffs refreshed outputs against the stored inputs", async () => {
        const run = await scenario("refresh", undefined, refreshBoth, false);
        assert.deepEqual(
          Object.values(bySubject(run.calls)).map((calls) => calls.map((c) => c.method)),
          [["configure"], ["read", "diff"], ["read", "diff"]],
        );
      });

      it("drops resources whose read returns an empty id, without diffing them", async () => {
        fs.writeFileSync(`${LOG}.gone`, "");
        try {
          await scenario("refresh", undefined, refreshBoth, false);
        } finally {
          fs.rmSync(`${LOG}.gone`, { force: true });
        }
        assert.deepEqual(sim().names(), []);
      });
    });

    describe("up with a deleteBeforeReplace whose dependent must be replaced too", () => {
      const dbr = { deleteBeforeReplace: true, dependents: { b: ["replaceKey"] } };
      const next = program({ replaceKey: "k2" }, { deleteBeforeReplace: true }, "replaceKey");

      it("creates the pair", () =>
        scenario("up", program({}, undefined, "replaceKey"), pair("up", {}, {}, "replaceKey")));

      it("previews the dependent as a create once its diff asked for a replace", () =>
        scenario("preview", next, pair("preview", { replaceKey: "k2" }, dbr, "replaceKey", UNKNOWN)));

      it("deletes the dependent first and creates it afresh", async () => {
        const run = await scenario("up", next, pair("up", { replaceKey: "k2" }, dbr, "replaceKey"));
        assert.deepEqual(interleaving(run.calls).slice(1), [
          ...["a.check", "a.diff", "a.check", "b.diff"],
          ...["b.delete", "a.delete", "a.create", "b.check", "b.create"],
        ]);
      });

      it("destroys dependents before what they depend on", () =>
        scenario("destroy", undefined, () => sim().destroyAll()));
    });

    describe("secrets", () => {
      it("hands handlers plaintext and stores only the same-named output as a secret", async () => {
        const run = await scenario("up", program({ apiKey: pulumi.secret("s3cr3t") }), () =>
          up("a", aInputs({ apiKey: secret("s3cr3t") })),
        );
        assert.equal((run.calls.find((c) => c.method === "create")?.args.inputs as Inputs).apiKey, "s3cr3t");
      });

      it("sends plaintext olds and news to diff and update", () =>
        scenario("up", program({ apiKey: pulumi.secret("s3cr3t"), size: 5 }), () =>
          up("a", aInputs({ apiKey: secret("s3cr3t"), size: 5 })),
        ));
    });

    describe("check failures", () => {
      it("stop the up after check and change nothing", async () => {
        const run = await scenario(
          "up",
          () => new RecordingThing(provider, "c", { name: "c", invalid: true }),
          () => up("c", { name: "c", invalid: true }),
        );
        assert.match(run.error ?? "", /invalid was requested/);
      });

      it("leave the rest to destroy", () => scenario("destroy", undefined, () => sim().destroyAll()));
    });
  },
);
