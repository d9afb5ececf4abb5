import * as assert from "assert";
import { existsSync, promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { captureProviderText } from "../../../../testkit/harness/captureProvider";
import { EngineSimulator } from "../../../../testkit/harness/engine";
import { HarnessProbe, PROBE_TYPE } from "../../../../testkit/harness/fixtures/resources";
import { REPO_ROOT, makeProjectDir } from "../../../../testkit/harness/projectDir";
import { startProviderHost } from "../../../../testkit/harness/providerHost";
import type { HostRpcError } from "../../../../testkit/harness/rpcError";

const repoPackage = require(path.join(REPO_ROOT, "package.json"));

describe("project resolution", () => {
  let probeText: string;

  before(async () => {
    probeText = await captureProviderText(() => new HarnessProbe("probe"));
  });

  describe("EngineSimulator.up", () => {
    it("resolves pulumi-klaviyo-coupons inside __provider when the host runs in a user-like project", async () => {
      const project = await makeProjectDir();
      const host = await startProviderHost({ cwd: project.dir, project: project.project });
      try {
        const engine = new EngineSimulator(host, { provider: probeText });
        await engine.configure({});
        const { outputs } = await engine.up("probe", PROBE_TYPE, {});
        assert.strictEqual(outputs.packageName, "pulumi-klaviyo-coupons");
        assert.strictEqual(outputs.packageVersion, repoPackage.version);
      } finally {
        await host.stop();
        await project.cleanup();
      }
    });

    it("fails with the require error in details when the project does not install the package", async () => {
      const bare = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-klaviyo-bare-"));
      const host = await startProviderHost({ cwd: bare, project: "bare" });
      try {
        const engine = new EngineSimulator(host, { provider: probeText, project: "bare" });
        await engine.configure({});
        await assert.rejects(engine.up("probe", PROBE_TYPE, {}), (e: HostRpcError) =>
          /Cannot find module 'pulumi-klaviyo-coupons\/package.json'/.test(e.details),
        );
      } finally {
        await host.stop();
        await fs.rm(bare, { recursive: true, force: true });
      }
    });
  });

  describe("makeProjectDir", () => {
    it("maps pulumi-klaviyo-coupons/internal/couponHandlers to the built dist/provider/coupon/handlers.js", async function () {
      if (!existsSync(path.join(REPO_ROOT, "dist", "provider", "index.js"))) this.skip();
      const project = await makeProjectDir();
      try {
        const resolved = require.resolve("pulumi-klaviyo-coupons/internal/couponHandlers", {
          paths: [project.dir],
        });
        assert.strictEqual(
          await fs.realpath(resolved),
          await fs.realpath(path.join(REPO_ROOT, "dist", "provider", "coupon", "handlers.js")),
        );
      } finally {
        await project.cleanup();
      }
    });
  });
});
