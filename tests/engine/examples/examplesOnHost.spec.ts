import { strict as assert } from "assert";
import * as path from "path";
import { EngineSimulator, secret } from "../../../testkit/harness/engine";
import { startProviderHost } from "../../../testkit/harness/providerHost";
import { startTestEmulator } from "../../../testkit/emulator";
import { startProviderStack, type ProviderStack } from "../../../testkit/providerStack";
import { ensureBuilt, ensurePackageLink, REPO_ROOT } from "../../../scripts/projectSetup";
import { isWireSecret } from "../../../testkit/harness/secrets";
import { runProgramUnderMocks, type RegisteredResource } from "../../../testkit/programUnderMocks";

const EXAMPLES = path.join(REPO_ROOT, "examples");

/** Engine inputs for a registered resource: wire secrets become harness secrets, `__provider` goes apart. */
function engineInputs(r: RegisteredResource): { inputs: Record<string, unknown>; provider: string } {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(r.inputs)) {
    if (key === "__provider") continue;
    inputs[key] = isWireSecret(value) ? secret(value.value) : value;
  }
  return { inputs, provider: r.inputs.__provider as string };
}

// What `npm start` does with each example, minus the Pulumi CLI (not needed here): the resources the
// program registers, with the exact inputs and serialized providers, applied through the SDK's real
// dynamic-provider host against the emulator, then previewed (no changes expected) and destroyed.
describe("examples on the provider host", function () {
  this.timeout(300_000);
  let stack: ProviderStack;

  before(async () => {
    stack = await startProviderStack();
  });
  after(async () => {
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  const cases: Array<[example: string, codes: number]> = [
    ["basic", 8],
    ["csv", 7],
    ["generated", 1000],
    ["real-account", 10],
    ["stock-guard", 50],
  ];
  for (const [example, codes] of cases) {
    describe(example, () => {
      it(`creates the coupon and ${codes} codes, previews no changes and destroys cleanly`, async () => {
        const run = await runProgramUnderMocks(path.join(EXAMPLES, example, "index.ts"), {
          project: example,
          // stock-guard counts codes while the program runs: keep that on the emulator.
          config: { "klaviyo:baseUrl": stack.emulator.url, "klaviyo:apiKey": stack.emulator.apiKey },
          expectResources: 2,
        });
        const [coupon, batch] = run.resources.map(engineInputs);
        const [couponName, batchName] = run.resources.map((r) => `${example}-${r.name}`);
        const [couponType, batchType] = run.resources.map((r) => r.type);

        const created = await stack.engine.up(couponName, couponType, coupon.inputs, {
          provider: coupon.provider,
        });
        assert.equal(
          created.outputs.couponId,
          batch.inputs.couponId,
          "the mocks wired couponId as the host does",
        );
        const upload = await stack.engine.up(batchName, batchType, batch.inputs, {
          provider: batch.provider,
          additionalSecretOutputs: ["codes"],
        });
        const outs = upload.outputs as Record<string, any>;
        assert.equal(outs.codeCount, codes);
        assert.equal(outs.failedCount, 0);
        assert.deepEqual(outs.statusCounts, { UNASSIGNED: codes });
        assert.ok(upload.secretKeys.includes("codes"));

        for (const [name, type, r] of [
          [couponName, couponType, coupon],
          [batchName, batchType, batch],
        ] as const) {
          const preview = await stack.engine.preview(name, type, r.inputs, { provider: r.provider });
          assert.equal(preview.op, "same", `${name} should have no changes`);
        }

        await stack.engine.destroy(batchName);
        await stack.engine.destroy(couponName);
        assert.deepEqual(stack.emulator.control.counts().coupons, 0);
        assert.deepEqual(stack.emulator.control.counts().codes, 0);
      });
    });
  }
});

// `npm start` runs the root project of this repository: Pulumi starts the provider host in the project
// (or program) directory, where `pulumi-klaviyo-coupons` must resolve through node_modules, which
// `ensurePackageLink` sets up. This runs the basic example's resources through a host started there.
describe("examples from the repository's root project", function () {
  this.timeout(120_000);

  for (const cwd of [REPO_ROOT, path.join(EXAMPLES, "basic")]) {
    describe(path.relative(REPO_ROOT, cwd) || "(root)", () => {
      it("resolves the package for the provider host once ensurePackageLink has run", async () => {
        ensureBuilt(REPO_ROOT);
        ensurePackageLink(REPO_ROOT);
        const run = await runProgramUnderMocks(path.join(EXAMPLES, "basic", "index.ts"), {
          project: "klaviyo-coupons-example",
          expectResources: 2,
        });
        const [coupon, batch] = run.resources.map(engineInputs);
        const emulator = await startTestEmulator();
        const host = await startProviderHost({ cwd, project: "klaviyo-coupons-example" });
        try {
          const engine = new EngineSimulator(host, { project: "klaviyo-coupons-example" });
          await engine.configure({
            "klaviyo:apiKey": secret(emulator.apiKey),
            "klaviyo:baseUrl": emulator.url,
          });
          await engine.up("spring", run.resources[0].type, coupon.inputs, { provider: coupon.provider });
          const upload = await engine.up("spring-codes", run.resources[1].type, batch.inputs, {
            provider: batch.provider,
            additionalSecretOutputs: ["codes"],
          });
          assert.deepEqual(upload.outputs.statusCounts, { UNASSIGNED: 8 });
          await engine.destroyAll();
          assert.equal(emulator.control.counts().coupons, 0);
        } finally {
          await host.stop();
          await emulator.close();
        }
      });
    });
  }
});
