import * as assert from "assert";
import { execFile } from "child_process";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { captureProviderText } from "../../../../testkit/harness/captureProvider";
import { HarnessLogger, HarnessThing, THING_TYPE } from "../../../../testkit/harness/fixtures/resources";
import { makeProjectDir, ProjectDir } from "../../../../testkit/harness/projectDir";
import { startProviderHost } from "../../../../testkit/harness/providerHost";
import { type HostRpcError, isHostRpcError } from "../../../../testkit/harness/rpcError";
import { REPO_ROOT } from "../../../../scripts/projectSetup";

const urn = (name: string) => `urn:pulumi:dev::harness-project::${THING_TYPE}::${name}`;

// A SIGKILLed host may linger as a zombie until its (re)parent reaps it; that still counts as dead.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && readFileSync(stat, "utf8").split(") ")[1]?.startsWith("Z"));
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

describe("providerHost lifecycle", () => {
  let project: ProjectDir;
  let thingText: string;

  before(async () => {
    thingText = await captureProviderText(() => new HarnessThing("life", { name: "life" }));
    project = await makeProjectDir();
  });

  after(async () => {
    await project?.cleanup();
  });

  describe("kill", () => {
    it("fails the in-flight create and reports SIGKILL when the host is killed mid-create", async () => {
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      try {
        await host.configure({ args: {}, type: "pulumi:providers:pulumi-nodejs" });
        const pending = host.create({
          urn: urn("hang"),
          properties: { __provider: thingText, name: "hang", hangCreate: true },
        });
        const outcome = pending.then(
          () => assert.fail("create should not complete"),
          (e: HostRpcError) => e,
        );
        await host.waitForLine("create started for");
        const exit = await host.kill("SIGKILL");
        assert.deepStrictEqual(exit, { code: null, signal: "SIGKILL" });
        assert.strictEqual(host.running(), false);
        const err = await outcome;
        assert.ok(isHostRpcError(err));
        assert.strictEqual(err.code, grpc.status.UNAVAILABLE, err.message);
        await assert.rejects(host.getPluginInfo(), (e: HostRpcError) => e.code === grpc.status.UNAVAILABLE);
        await assert.rejects(host.waitForLine("never printed"), /host exited before printing never printed/);
      } finally {
        await host.stop();
      }
    });
  });

  describe("stop", () => {
    it("terminates the host with SIGTERM and can be called twice", async () => {
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      await host.stop();
      await host.stop();
      assert.strictEqual(host.running(), false);
      assert.strictEqual((await host.exited).signal, "SIGTERM");
      assert.strictEqual(isAlive(host.pid), false);
    });
  });

  describe("exit hook", () => {
    it("kills a host that its test process left running when that process exits", async () => {
      const repo = REPO_ROOT;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            "-r",
            "ts-node/register",
            path.join(REPO_ROOT, "testkit", "harness", "fixtures", "orphanProbe.ts"),
            project.dir,
          ],
          { cwd: repo, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" }, timeout: 50000 },
          (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
        ),
      );
      const { pid } = JSON.parse(stdout.trim().split("\n").pop()!);
      assert.ok(await waitUntil(() => !isAlive(pid), 5000), `host ${pid} outlived its parent`);
    });
  });

  describe("configure", () => {
    it("breaks a provider's configure handler for good when CRUD arrives before any Configure", async () => {
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      try {
        // The host hands provider.configure a Config over `undefined`, so any config lookup throws.
        await assert.rejects(
          host.create({ urn: urn("early"), properties: { __provider: thingText, name: "early" } }),
          (e: HostRpcError) => /Cannot read properties of undefined/.test(e.details),
        );
        // The host caches the provider before awaiting configure, so a failed configure is never retried.
        await host.configure({
          args: { "harness-project:token": "late" },
          type: "pulumi:providers:pulumi-nodejs",
        });
        const late = await host.create({
          urn: urn("late"),
          properties: { __provider: thingText, name: "late" },
        });
        assert.strictEqual(late.properties.tokenLength, undefined);
      } finally {
        await host.stop();
      }
    });

    it("configures each provider once, lazily, with the config sent before its first CRUD call", async () => {
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      try {
        await host.configure({
          args: { "harness-project:token": "first" },
          type: "pulumi:providers:pulumi-nodejs",
        });
        await host.configure({
          args: { "harness-project:token": "second!" },
          type: "pulumi:providers:pulumi-nodejs",
        });
        const a = await host.create({ urn: urn("a"), properties: { __provider: thingText, name: "a" } });
        assert.strictEqual(a.properties.tokenLength, "second!".length);
        await host.configure({
          args: { "harness-project:token": "third!!!" },
          type: "pulumi:providers:pulumi-nodejs",
        });
        const b = await host.create({ urn: urn("b"), properties: { __provider: thingText, name: "b" } });
        assert.strictEqual(
          b.properties.tokenLength,
          "second!".length,
          "a loaded provider is not reconfigured",
        );
      } finally {
        await host.stop();
      }
    });
  });

  describe("engine logs", () => {
    it("prints pulumi.log output as stdout lines when the host is not connected to an engine", async () => {
      const text = await captureProviderText(() => new HarnessLogger("log", { say: "plain" }));
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      try {
        await host.configure({ args: {}, type: "pulumi:providers:pulumi-nodejs" });
        await host.create({ urn: urn("log"), properties: { __provider: text, say: "plain" } });
        assert.strictEqual(
          await host.waitForLine("info: [runtime]"),
          "info: [runtime] logging provider says plain",
        );
        await host.waitForLine("warning: [runtime] logging provider warns plain");
        assert.deepStrictEqual(host.engineLogs, []);
      } finally {
        await host.stop();
      }
    });

    it("delivers pulumi.log calls to the fake engine when connectEngineLogs is set", async () => {
      const text = await captureProviderText(() => new HarnessLogger("log", { say: "routed" }));
      const host = await startProviderHost({
        cwd: project.dir,
        project: project.project,
        connectEngineLogs: true,
      });
      try {
        await host.configure({ args: {}, type: "pulumi:providers:pulumi-nodejs" });
        await host.create({ urn: urn("log"), properties: { __provider: text, say: "routed" } });
        assert.deepStrictEqual(
          host.engineLogs.map((l) => [l.severity, l.message]),
          [
            ["info", "logging provider says routed"],
            ["warning", "logging provider warns routed"],
          ],
        );
        assert.ok(!host.output().includes("logging provider"));
      } finally {
        await host.stop();
      }
    });
  });
});
