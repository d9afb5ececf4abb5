import * as assert from "assert";
import { captureProviderText } from "../../../../testkit/harness/captureProvider";
import { EngineSimulator, UNKNOWN, secret } from "../../../../testkit/harness/engine";
import { readRemote } from "../../../../testkit/harness/fixtures/providers";
import { HarnessThing, THING_TYPE } from "../../../../testkit/harness/fixtures/resources";
import { makeProjectDir, ProjectDir } from "../../../../testkit/harness/projectDir";
import { ProviderHost, startProviderHost } from "../../../../testkit/harness/providerHost";
import { type HostRpcError, isHostRpcError } from "../../../../testkit/harness/rpcError";
import { CIPHERTEXT_PLACEHOLDER, SIG_KEY } from "../../../../testkit/harness/secrets";

describe("EngineSimulator", () => {
  let project: ProjectDir;
  let host: ProviderHost;
  let engine: EngineSimulator;
  let providerText: string;
  const methodsSince = (mark: number) => host.calls.slice(mark).map((c) => c.method);

  before(async () => {
    providerText = await captureProviderText(() => new HarnessThing("scenario", { name: "scenario" }));
    project = await makeProjectDir();
    host = await startProviderHost({ cwd: project.dir, project: project.project });
    engine = new EngineSimulator(host, { provider: providerText });
    await engine.configure({ token: "plain-token" });
  });

  after(async () => {
    await host?.stop();
    await project?.cleanup();
  });

  describe("up (secrets)", () => {
    it("strips secret wrappers from every CRUD request when an input is secret", async () => {
      const mark = host.calls.length;
      await engine.up("key", THING_TYPE, { name: "key", apiKey: secret("hunter2-key") });
      await engine.up("key", THING_TYPE, { name: "key", apiKey: secret("hunter2-key"), size: 3 });
      const sent = JSON.stringify(host.calls.slice(mark).map((c) => c.args));
      assert.ok(!sent.includes(SIG_KEY) && !sent.includes('"secret"'), sent.slice(0, 300));
      const create = host.calls.slice(mark).find((c) => c.method === "create")!.args as {
        properties: Record<string, unknown>;
      };
      assert.strictEqual(create.properties.apiKey, "hunter2-key");
    });

    it("marks the same-named output secret and stores it as ciphertext", async () => {
      const result = await engine.up("vault", THING_TYPE, { name: "vault", apiKey: secret("hunter2-key") });
      assert.deepStrictEqual(result.secretKeys, ["apiKey"]);
      assert.strictEqual(result.outputs.apiKey, "hunter2-key");
      const saved = engine.serializedState().deployment.resources.find((r) => r.urn.endsWith("::vault"))!;
      assert.deepStrictEqual(saved.outputs.apiKey, {
        [SIG_KEY]: "1b47061264138c4ac30d75fd1eb44270",
        ciphertext: CIPHERTEXT_PLACEHOLDER,
      });
      assert.deepStrictEqual(saved.inputs.apiKey, saved.outputs.apiKey);
    });

    it("leaks a secret copied into a differently named output unless additionalSecretOutputs lists it", async () => {
      await engine.up("echoed", THING_TYPE, { name: "echoed", apiKey: secret("leaky-value") });
      // The fixture echoes all inputs under `inputEcho`, a new name the engine does not know is secret.
      assert.ok(engine.stateText().includes("leaky-value"));
      await engine.destroy("echoed");
      await engine.up(
        "guarded",
        THING_TYPE,
        { name: "guarded", apiKey: secret("guarded-value") },
        { additionalSecretOutputs: ["inputEcho"] },
      );
      assert.ok(!engine.stateText().includes("guarded-value"));
      assert.deepStrictEqual(engine.state("guarded")!.secretKeys, ["apiKey", "inputEcho"]);
    });

    it("stores __provider as a secret when the provider text itself is secret", async () => {
      await engine.up("secret-provider", THING_TYPE, { name: "sp" }, { provider: secret(providerText) });
      const saved = engine
        .serializedState()
        .deployment.resources.find((r) => r.urn.endsWith("::secret-provider"))!;
      assert.strictEqual(
        (saved.inputs.__provider as Record<string, unknown>).ciphertext,
        CIPHERTEXT_PLACEHOLDER,
      );
      assert.strictEqual(
        (saved.outputs.__provider as Record<string, unknown>).ciphertext,
        CIPHERTEXT_PLACEHOLDER,
      );
    });
  });

  describe("preview", () => {
    it("sends only check for a new resource and records nothing", async () => {
      const mark = host.calls.length;
      const result = await engine.preview("planned", THING_TYPE, { name: "planned", size: UNKNOWN });
      assert.strictEqual(result.op, "create");
      assert.strictEqual(result.inputs.size, UNKNOWN);
      assert.deepStrictEqual(methodsSince(mark), ["check"]);
      assert.strictEqual(engine.state("planned"), undefined);
    });

    it("sends only check and diff and leaves state alone when a value is unknown", async () => {
      await engine.up("known", THING_TYPE, { name: "known", size: 1 });
      const before = engine.stateText();
      const remoteBefore = JSON.stringify(readRemote(project.dir));
      const mark = host.calls.length;
      const result = await engine.preview("known", THING_TYPE, { name: "known", size: UNKNOWN });
      assert.strictEqual(result.op, "update");
      assert.strictEqual(result.diff?.changes, "some");
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff"]);
      assert.strictEqual(engine.stateText(), before);
      assert.strictEqual(JSON.stringify(readRemote(project.dir)), remoteBefore);
    });

    it("predicts a replace, re-checking without olds, when a replace trigger is unknown", async () => {
      await engine.up("trigger", THING_TYPE, { name: "trigger", code: "A" });
      const mark = host.calls.length;
      const result = await engine.preview("trigger", THING_TYPE, { name: "trigger", code: UNKNOWN });
      assert.strictEqual(result.op, "replace");
      assert.deepStrictEqual(result.diff?.replaces, ["code"]);
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "check"]);
    });
  });

  describe("up (init failures)", () => {
    it("records the half-created object with its init errors and rethrows", async () => {
      const err = await engine.up("sick", THING_TYPE, { name: "sick", failCreate: "init" }).catch((e) => e);
      assert.ok(isHostRpcError(err) && err.initFailed);
      const state = engine.state("sick")!;
      assert.strictEqual(state.id, err.initFailed.id);
      assert.deepStrictEqual(state.initErrors, ["health check failed", "still unhealthy"]);
      assert.strictEqual(state.outputs.name, "sick");
      const saved = engine.serializedState().deployment.resources.find((r) => r.urn.endsWith("::sick"))!;
      assert.deepStrictEqual(saved.initErrors, state.initErrors);
    });

    it("retries with an update on the next up even when nothing changed", async () => {
      const mark = host.calls.length;
      const result = await engine.up("sick", THING_TYPE, { name: "sick", failCreate: "init" });
      assert.strictEqual(result.op, "update");
      assert.deepStrictEqual(methodsSince(mark), ["check", "diff", "update"]);
      assert.strictEqual(engine.state("sick")!.initErrors, undefined);
    });

    it("cannot delete a half-created object whose error properties lack __provider", async () => {
      // The host keeps __provider out of ErrorResourceInitFailed.properties, and delete only looks there.
      await engine.up("bare", THING_TYPE, { name: "bare", failCreate: "init-bare" }).catch(() => undefined);
      assert.strictEqual(engine.state("bare")!.outputs.__provider, undefined);
      await assert.rejects(engine.destroy("bare"), (e: HostRpcError) =>
        /code must be a string/.test(e.details),
      );
    });
  });
});
