import * as assert from "assert";
import * as grpc from "@grpc/grpc-js";
import { captureProviderText } from "../../../../testkit/harness/captureProvider";
import { HarnessEcho, HarnessThing, THING_TYPE } from "../../../../testkit/harness/fixtures/resources";
import { makeProjectDir, ProjectDir } from "../../../../testkit/harness/projectDir";
import { ProviderHost, startProviderHost } from "../../../../testkit/harness/providerHost";
import { type HostRpcError, isHostRpcError } from "../../../../testkit/harness/rpcError";

const urn = (name: string) => `urn:pulumi:dev::harness-project::${THING_TYPE}::${name}`;

describe("providerHost", () => {
  let project: ProjectDir;
  let host: ProviderHost;
  let thingText: string;

  before(async () => {
    thingText = await captureProviderText(() => new HarnessThing("raw", { name: "raw" }));
    project = await makeProjectDir();
    host = await startProviderHost({ cwd: project.dir, project: project.project });
    await host.configure({
      args: { "harness-project:token": "t0k3n" },
      type: "pulumi:providers:pulumi-nodejs",
    });
  });

  after(async () => {
    await host?.stop();
    await project?.cleanup();
  });

  describe("startProviderHost", () => {
    it("reports the port from the first stdout line and keeps it out of the captured lines", () => {
      assert.ok(host.port > 0);
      assert.ok(host.running());
      assert.ok(!host.stdoutLines.includes(String(host.port)));
    });

    it("rejects with the host's output when the host cannot start", async () => {
      await assert.rejects(
        startProviderHost({ cwd: "/nonexistent-harness-dir", project: "p", startTimeoutMs: 10000 }),
        /failed to start: spawn .*ENOENT/,
      );
    });
  });

  describe("handshake", () => {
    it("fails with UNIMPLEMENTED, as the engine expects from the Node host", async () => {
      await assert.rejects(host.handshake(), (e: HostRpcError) => e.code === grpc.status.UNIMPLEMENTED);
    });
  });

  describe("getPluginInfo", () => {
    it("returns the SDK version", async () => {
      const { version } = await host.getPluginInfo();
      assert.strictEqual(version, require("@pulumi/pulumi/package.json").version);
    });
  });

  describe("checkConfig", () => {
    it("fails with UNIMPLEMENTED", async () => {
      await assert.rejects(
        host.checkConfig({
          urn: "urn:pulumi:dev::p::pulumi:providers:pulumi-nodejs::default",
          olds: {},
          news: {},
        }),
        (e: HostRpcError) => e.code === grpc.status.UNIMPLEMENTED && /CheckConfig/.test(e.details),
      );
    });
  });

  describe("configure", () => {
    it("declines secrets and preview support", async () => {
      const reply = await host.configure({
        args: { "harness-project:token": "t0k3n" },
        type: "pulumi:providers:pulumi-nodejs",
      });
      assert.deepStrictEqual(reply, {
        acceptSecrets: false,
        supportsPreview: false,
        acceptResources: false,
        acceptOutputs: false,
      });
    });
  });

  describe("raw CRUD", () => {
    it("round-trips check, diff, create, update, read and delete when given __provider", async () => {
      const news = { __provider: thingText, name: "  raw  ", size: 1 };
      const checked = await host.check({ urn: urn("raw"), olds: {}, news });
      assert.deepStrictEqual(checked.failures, []);
      assert.strictEqual(checked.inputs.name, "raw");
      assert.strictEqual(checked.inputs.__provider, thingText, "the host re-adds __provider");

      const created = await host.create({ urn: urn("raw"), properties: checked.inputs });
      assert.match(created.id, /^thing-\d+-raw$/);
      assert.strictEqual(created.properties.__provider, thingText);
      assert.strictEqual(created.properties.tokenLength, 5);

      const news2 = { ...checked.inputs, size: 2 };
      const diff = await host.diff({
        id: created.id,
        urn: urn("raw"),
        olds: created.properties,
        news: news2,
      });
      assert.deepStrictEqual([diff.changes, diff.replaces], ["some", []]);

      const updated = await host.update({
        id: created.id,
        urn: urn("raw"),
        olds: created.properties,
        news: news2,
      });
      assert.strictEqual(updated.properties.size, 2);

      const read = await host.read({ id: created.id, urn: urn("raw"), properties: updated.properties });
      assert.strictEqual(read.id, created.id);
      assert.strictEqual(read.properties.size, 2);
      assert.strictEqual(read.inputs?.__provider, thingText, "the host adds __provider to returned inputs");

      await host.delete({ id: created.id, urn: urn("raw"), properties: updated.properties });
      const gone = await host.read({ id: created.id, urn: urn("raw"), properties: updated.properties });
      assert.strictEqual(gone.id, "");
      assert.deepStrictEqual(
        host.calls.slice(-7).map((c) => c.method),
        ["check", "create", "diff", "update", "read", "delete", "read"],
      );
    });

    it("reports check failures in the reply rather than as an error", async () => {
      const reply = await host.check({
        urn: urn("bad"),
        olds: {},
        news: { __provider: thingText, name: " " },
      });
      assert.deepStrictEqual(reply.failures, [
        { property: "name", reason: "name must be a non-empty string" },
      ]);
    });

    it("puts a thrown error's message in details when create throws", async () => {
      const err = await host
        .create({
          urn: urn("boom"),
          properties: { __provider: thingText, name: "boom", failCreate: "throw" },
        })
        .then(
          () => assert.fail("create should fail"),
          (e: HostRpcError) => e,
        );
      assert.ok(isHostRpcError(err));
      assert.strictEqual(err.code, grpc.status.UNKNOWN);
      assert.strictEqual(err.details, "fixture create exploded for boom");
      assert.strictEqual(err.initFailed, undefined);
    });

    it("decodes ErrorResourceInitFailed from the trailer when create throws an error with id", async () => {
      const err = await host
        .create({ urn: urn("sick"), properties: { __provider: thingText, name: "sick", failCreate: "init" } })
        .then(
          () => assert.fail("create should fail"),
          (e: HostRpcError) => e,
        );
      assert.strictEqual(err.details, `fixture ${err.initFailed?.id} created but unhealthy`);
      assert.match(err.initFailed?.id ?? "", /^thing-\d+-sick$/);
      assert.deepStrictEqual(err.initFailed?.reasons, ["health check failed", "still unhealthy"]);
      assert.strictEqual(err.initFailed?.properties.name, "sick");
    });

    it("rejects before sending when a property is undefined, which a Struct cannot carry", async () => {
      const before = host.calls.length;
      await assert.rejects(
        host.create({ urn: urn("u"), properties: { __provider: thingText, name: undefined } }),
        /cannot encode properties/,
      );
      assert.strictEqual(host.calls.length, before);
    });

    it("reduces stored outputs to __provider when updating a provider without update", async () => {
      const echoText = await captureProviderText(() => new HarnessEcho("echo", { key: "k" }));
      const props = { __provider: echoText, key: "k", v: 1 };
      const created = await host.create({ urn: urn("echo"), properties: props });
      assert.deepStrictEqual(created.properties, props);
      const updated = await host.update({
        id: created.id,
        urn: urn("echo"),
        olds: created.properties,
        news: props,
      });
      assert.deepStrictEqual(updated.properties, { __provider: echoText });
    });
  });

  describe("output capture", () => {
    it("captures provider stdout and stderr lines", async () => {
      await host.create({
        urn: urn("chatty"),
        properties: { __provider: thingText, name: "chatty", say: "hi-42" },
      });
      assert.strictEqual(await host.waitForLine("stdout says hi-42"), "stdout says hi-42");
      await host.waitForLine(/stderr says hi-42/);
      assert.ok(host.stdoutLines.includes("stdout says hi-42"));
      assert.ok(host.stderrLines.includes("stderr says hi-42"));
      assert.match(host.output(), /stdout says hi-42/);
    });

    it("captures the stack the host prints when a delete fails", async () => {
      await assert.rejects(
        host.delete({ id: "x", urn: urn("x"), properties: { __provider: thingText, failDelete: true } }),
        (e: HostRpcError) => e.details === "fixture refuses to delete x",
      );
      await host.waitForLine("fixture refuses to delete x");
    });
  });
});
