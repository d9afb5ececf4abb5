import * as assert from "assert";
import { createHash } from "crypto";
import { captureProviderText } from "../../../../testkit/harness/captureProvider";
import { EngineSimulator, isCheckFailedError, secret } from "../../../../testkit/harness/engine";
import { readRemote, writeRemote } from "../../../../testkit/harness/fixtures/providers";
import { HarnessThing, THING_TYPE } from "../../../../testkit/harness/fixtures/resources";
import { makeProjectDir, ProjectDir } from "../../../../testkit/harness/projectDir";
import { ProviderHost, startProviderHost } from "../../../../testkit/harness/providerHost";
import { type HostRpcError, isHostRpcError } from "../../../../testkit/harness/rpcError";
import { SECRET_SIG, SIG_KEY } from "../../../../testkit/harness/secrets";

describe("EngineSimulator", () => {
  let project: ProjectDir;
  let host: ProviderHost;
  let engine: EngineSimulator;
  let providerText: string;
  const methodsSince = (mark: number) => host.calls.slice(mark).map((c) => c.method);

  before(async () => {
    providerText = await captureProviderText(() => new HarnessThing("engine", { name: "engine" }));
    project = await makeProjectDir();
    host = await startProviderHost({ cwd: project.dir, project: project.project });
    engine = new EngineSimulator(host, { provider: providerText, project: project.project });
    await engine.configure({ token: secret("s3cr3t-token"), "harness:region": "eu-west" });
  });

  after(async () => {
    await host?.stop();
    await project?.cleanup();
  });

  describe("configure", () => {
    it("sends namespaced stack config with secrets in signature form", () => {
      const call = host.calls.find((c) => c.method === "configure");
      assert.deepStrictEqual(call?.args, {
        args: {
          "harness-project:token": { [SIG_KEY]: SECRET_SIG, value: "s3cr3t-token" },
          "harness:region": "eu-west",
        },
        type: "pulumi:providers:pulumi-nodejs",
        name: "default",
        urn: "urn:pulumi:dev::harness-project::pulumi:providers:pulumi-nodejs::default",
      });
    });

    it("lets the provider read the decrypted secret, which it reports only as a digest", async () => {
      const { outputs } = await engine.up("cfg", THING_TYPE, { name: "cfg" });
      assert.strictEqual(outputs.tokenLength, "s3cr3t-token".length);
      assert.strictEqual(outputs.tokenSha256, createHash("sha256").update("s3cr3t-token").digest("hex"));
      assert.strictEqual(outputs.region, "eu-west");
      assert.ok(!engine.stateText().includes("s3cr3t-token"));
    });

    it("refuses CRUD when configure has not been sent", async () => {
      const fresh = new EngineSimulator(host, { provider: providerText });
      await assert.rejects(fresh.up("x", THING_TYPE, { name: "x" }), /configure\(\) must run first/);
    });
  });

  describe("up", () => {
    it("checks against empty olds then creates when the resource is new", async () => {
      const mark = host.calls.length;
      const result = await engine.up("new", THING_TYPE, { name: " new " });
      assert.strictEqual(result.op, "create");
      assert.deepStrictEqual(methodsSince(mark), ["check", "create"]);
      assert.deepStrictEqual(host.calls[mark].args, {
        urn: engine.urn("new", THING_TYPE),
        olds: {},
        news: { __provider: providerText, name: " new " },
      });
      const state = engine.state("new")!;
      assert.strictEqual(state.id, result.id);
      assert.deepStrictEqual(state.inputs, { __provider: providerText, name: "new" });
      assert.strictEqual(state.outputs.__provider, providerText);
      assert.ok(readRemote(project.dir)[result.id]);
    });

    it("diffs even unchanged inputs and reports same", async () => {
      await engine.up("steady", THING_TYPE, { name: "steady" });
      const mark = host.calls.length;
      const result = await engine.up("steady", THING_TYPE, { name: "steady" });
      assert.strictEqual(result.op, "same");
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff"]);
    });

    it("updates in place with old outputs as olds when a plain input changes", async () => {
      const created = await engine.up("grow", THING_TYPE, { name: "grow", size: 1 });
      const mark = host.calls.length;
      const result = await engine.up("grow", THING_TYPE, { name: "grow", size: 2 });
      assert.strictEqual(result.op, "update");
      assert.strictEqual(result.id, created.id);
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "update"]);
      const [check, diff, update] = host.calls.slice(mark).map((c) => c.args as Record<string, unknown>);
      assert.deepStrictEqual(check.olds, { __provider: providerText, name: "grow", size: 1 });
      assert.deepStrictEqual(diff.olds, created.outputs);
      assert.deepStrictEqual(update.olds, created.outputs);
      assert.deepStrictEqual(update.oldInputs, check.olds);
      assert.strictEqual(result.outputs.size, 2);
    });

    it("creates the replacement before deleting the old object when a replace trigger changes", async () => {
      const first = await engine.up("swap", THING_TYPE, { name: "swap", code: "A" });
      const mark = host.calls.length;
      const result = await engine.up("swap", THING_TYPE, { name: "swap", code: "B" });
      assert.strictEqual(result.op, "replace");
      assert.notStrictEqual(result.id, first.id);
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "check", "create", "delete"]);
      assert.deepStrictEqual(
        (host.calls[mark + 2].args as { olds: unknown }).olds,
        {},
        "replacement re-check",
      );
      assert.strictEqual(readRemote(project.dir)[first.id], undefined);
      assert.ok(readRemote(project.dir)[result.id]);
    });

    it("deletes first when the provider asks for deleteBeforeReplace", async () => {
      await engine.up("dbr", THING_TYPE, { name: "dbr", code: "A", dbr: true });
      const mark = host.calls.length;
      const result = await engine.up("dbr", THING_TYPE, { name: "dbr", code: "B", dbr: true });
      assert.strictEqual(result.op, "replace");
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "check", "delete", "create"]);
    });

    it("deletes first when the deleteBeforeReplace resource option overrides the provider", async () => {
      await engine.up("dbr-opt", THING_TYPE, { name: "dbr-opt", code: "A" });
      const mark = host.calls.length;
      await engine.up("dbr-opt", THING_TYPE, { name: "dbr-opt", code: "B" }, { deleteBeforeReplace: true });
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "check", "delete", "create"]);
    });

    it("throws the check failures and sends nothing else when check rejects the inputs", async () => {
      const mark = host.calls.length;
      const err = await engine.up("invalid", THING_TYPE, { name: "" }).catch((e) => e);
      assert.ok(isCheckFailedError(err));
      assert.deepStrictEqual(err.failures, [{ property: "name", reason: "name must be a non-empty string" }]);
      assert.match(err.message, /name: name must be a non-empty string/);
      assert.deepStrictEqual(methodsSince(mark), ["check"]);
      assert.strictEqual(engine.state("invalid"), undefined);
    });

    it("rethrows a create error with its message in details and records nothing", async () => {
      const err = await engine
        .up("explode", THING_TYPE, { name: "explode", failCreate: "throw" })
        .catch((e) => e);
      assert.ok(isHostRpcError(err));
      assert.strictEqual(err.details, "fixture create exploded for explode");
      assert.strictEqual(engine.state("explode"), undefined);
    });
  });

  describe("refresh", () => {
    it("stores the outputs and inputs read back when the remote object drifted", async () => {
      const { id } = await engine.up("drift", THING_TYPE, { name: "drift", size: 1 });
      const remote = readRemote(project.dir);
      remote[id].inputs.size = 99;
      remote[id].outputs.size = 99;
      writeRemote(remote, project.dir);
      const mark = host.calls.length;
      const result = await engine.refresh("drift");
      assert.strictEqual(result.op, "refresh");
      // The real engine (3.274) diffs after every read that finds the object, to display drift.
      assert.deepStrictEqual(methodsSince(mark), ["read", "diff"]);
      const state = engine.state("drift")!;
      assert.strictEqual(state.outputs.size, 99);
      assert.strictEqual(state.inputs.size, 99);
      assert.strictEqual(state.outputs.__provider, providerText);
    });

    it("drops the resource from state when read returns an empty id", async () => {
      const { id } = await engine.up("vanish", THING_TYPE, { name: "vanish" });
      const remote = readRemote(project.dir);
      delete remote[id];
      writeRemote(remote, project.dir);
      assert.deepStrictEqual(await engine.refresh("vanish"), { op: "gone" });
      assert.strictEqual(engine.state("vanish"), undefined);
    });
  });

  describe("destroyAll", () => {
    it("deletes every resource newest first and empties the state", async () => {
      const other = new EngineSimulator(host, { provider: providerText });
      await other.configure({ token: "s3cr3t-token" });
      const first = await other.up("first", THING_TYPE, { name: "first" });
      const second = await other.up("second", THING_TYPE, { name: "second" });
      const mark = host.calls.length;
      await other.destroyAll();
      assert.deepStrictEqual(
        host.calls.slice(mark).map((c) => [c.method, (c.args as { id: string }).id]),
        [
          ["delete", second.id],
          ["delete", first.id],
        ],
      );
      assert.deepStrictEqual(other.names(), []);
    });
  });

  describe("destroy", () => {
    it("deletes with old outputs and inputs, then forgets the resource", async () => {
      const { id, outputs } = await engine.up("doomed", THING_TYPE, { name: "doomed" });
      const inputs = engine.state("doomed")!.inputs;
      const mark = host.calls.length;
      await engine.destroy("doomed");
      assert.deepStrictEqual(host.calls.slice(mark), [
        {
          method: "delete",
          args: { id, urn: engine.urn("doomed", THING_TYPE), properties: outputs, oldInputs: inputs },
        },
      ]);
      assert.strictEqual(engine.state("doomed"), undefined);
      assert.strictEqual(readRemote(project.dir)[id], undefined);
    });

    it("keeps the resource in state when the delete fails", async () => {
      await engine.up("sticky", THING_TYPE, { name: "sticky", failDelete: true });
      await assert.rejects(engine.destroy("sticky"), (e: HostRpcError) =>
        /refuses to delete/.test(e.details),
      );
      assert.ok(engine.state("sticky"));
    });
  });
});
