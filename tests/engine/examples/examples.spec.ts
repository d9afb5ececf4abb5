import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import requireFromString = require("require-from-string");
import { createKlaviyoClient } from "../../../provider/client";
import { readCouponCodes } from "../../../provider";
import { startTestEmulator, type TestEmulator } from "../../../testkit/emulator";
import { BATCH_TYPE, COUPON_TYPE } from "../../../testkit/providerStack";
import { REPO_ROOT } from "../../../scripts/projectSetup";
import { isWireSecret } from "../../../testkit/harness/secrets";
import { storedCodeList } from "../../../testkit/batchTestKit";
import {
  runProgramUnderMocks,
  unwrap,
  type ProgramRun,
  type RegisteredResource,
} from "../../../testkit/programUnderMocks";

const EXAMPLES = path.join(REPO_ROOT, "examples");
const program = (name: string) => path.join(EXAMPLES, name, "index.ts");
const HANDLERS = ["check", "configure", "create", "delete", "diff", "read", "update"];

function resource(run: ProgramRun, name: string): RegisteredResource {
  const found = run.resources.find((r) => r.name === name);
  assert.ok(found, `no resource named ${name}; registered: ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
}

function output(run: ProgramRun, name: string): unknown {
  const settled = run.outputs[name];
  assert.ok(settled, `no stack output ${name}`);
  if ("error" in settled) throw settled.error;
  return settled.value;
}

/** The `__provider` text is plain (no captured secret) and loads into a provider with every handler. */
function assertProviderSerialized(r: RegisteredResource): void {
  assert.equal(typeof r.inputs.__provider, "string", `${r.name}: __provider is not plain text`);
  const provider = requireFromString(r.inputs.__provider).handler();
  assert.deepEqual(Object.keys(provider).sort(), HANDLERS);
}

function assertCouponAndBatch(run: ProgramRun, coupon: string, batch: string, externalId: string): void {
  assert.deepEqual(
    run.resources.map((r) => [r.type, r.name]),
    [
      [COUPON_TYPE, coupon],
      [BATCH_TYPE, batch],
    ],
  );
  assert.equal(resource(run, coupon).inputs.externalId, externalId);
  // The batch's couponId is the coupon's output, so Pulumi orders create and destroy correctly.
  assert.equal(resource(run, batch).inputs.couponId, externalId);
  run.resources.forEach(assertProviderSerialized);
  assert.equal(output(run, "couponId"), externalId);
}

describe("examples", () => {
  describe("basic", () => {
    it("registers a coupon and a secret list of codes wired to its couponId when loaded under mocks", async () => {
      const run = await runProgramUnderMocks(program("basic"), { project: "basic", expectResources: 2 });
      assertCouponAndBatch(run, "spring", "spring-codes", "SPRING10");
      const coupon = resource(run, "spring").inputs;
      assert.equal(coupon.description, "10% off the spring collection");
      assert.equal(coupon.lowBalanceThreshold, 3);
      const codes = resource(run, "spring-codes").inputs.codes;
      assert.ok(isWireSecret(codes), "codes must be registered as a secret");
      assert.equal(storedCodeList(codes).length, 8);
      assert.deepEqual(output(run, "statusCounts"), { UNASSIGNED: 8 });
      assert.equal(output(run, "codeCount"), 8);
      assert.equal(typeof output(run, "fingerprint"), "string");
    });

    it("takes the coupon description from config when couponDescription is set", async () => {
      const run = await runProgramUnderMocks(program("basic"), {
        project: "basic",
        config: { couponDescription: "12% off" },
        expectResources: 2,
      });
      assert.equal(resource(run, "spring").inputs.description, "12% off");
    });
  });

  describe("csv", () => {
    it("declares exactly the codes of codes.csv, as a secret, when loaded under mocks", async () => {
      const run = await runProgramUnderMocks(program("csv"), { project: "csv", expectResources: 2 });
      assertCouponAndBatch(run, "summer", "summer-codes", "SUMMER15");
      const expected = readCouponCodes(fs.readFileSync(path.join(EXAMPLES, "csv", "codes.csv"), "utf8"));
      const batch = resource(run, "summer-codes").inputs;
      assert.ok(isWireSecret(batch.codes));
      assert.deepEqual(storedCodeList(batch.codes), expected);
      // Quoted cells and a quoted multi-line note must not leak into or split the codes.
      assert.ok(expected.includes("SUMMER-D4E5F6") && expected.includes("SUMMER-N5P6Q7"));
      assert.equal(expected.length, 7);
      assert.equal(batch.expiresAt, "2030-09-30T23:59:59Z");
      assert.equal(output(run, "codesInFile"), 7);
    });
  });

  describe("generated", () => {
    it("asks the provider to generate 1000 codes and exports the fingerprint and counts", async () => {
      const run = await runProgramUnderMocks(program("generated"), {
        project: "generated",
        expectResources: 2,
      });
      assertCouponAndBatch(run, "welcome", "welcome-codes", "WELCOME15");
      const batch = resource(run, "welcome-codes").inputs;
      assert.deepEqual(batch.generate, { count: 1000, length: 8, prefix: "WEL-" });
      assert.equal(batch.codes, undefined);
      assert.equal(output(run, "fingerprint"), "mock-fingerprint");
      assert.equal(output(run, "codeCount"), 1000);
      assert.deepEqual(output(run, "statusCounts"), { UNASSIGNED: 1000 });
      for (const name of ["failedCount", "expiryRange"])
        assert.ok(name in run.outputs, `missing output ${name}`);
    });

    it("sizes the pool and the low-balance threshold from the count config", async () => {
      const run = await runProgramUnderMocks(program("generated"), {
        project: "generated",
        config: { count: "2500", expiresAt: "2031-01-31T00:00:00Z" },
        expectResources: 2,
      });
      assert.equal(resource(run, "welcome-codes").inputs.generate.count, 2500);
      assert.equal(resource(run, "welcome-codes").inputs.expiresAt, "2031-01-31T00:00:00Z");
      assert.equal(resource(run, "welcome").inputs.lowBalanceThreshold, 250);
    });
  });

  // couponCodeAvailability comes from provider/availability/output.ts through the package's index.
  const guardMissing = typeof require("pulumi-klaviyo-coupons").couponCodeAvailability !== "function";
  (guardMissing ? describe.skip : describe)(
    `stock-guard${guardMissing ? " (skipped: pulumi-klaviyo-coupons does not export couponCodeAvailability)" : ""}`,
    () => {
      let emulator: TestEmulator | undefined;
      const guardConfig = () => ({ "klaviyo:baseUrl": emulator!.url, "klaviyo:apiKey": emulator!.apiKey });

      before(async () => {
        emulator = await startTestEmulator();
      });
      after(async () => emulator?.close());
      beforeEach(() => emulator?.control.reset());

      /** The coupon as the batch would leave it: `total` codes, of which `assigned` held by customers. */
      async function seed(total: number, assigned: number): Promise<void> {
        const client = createKlaviyoClient({ apiKey: emulator!.apiKey, baseUrl: emulator!.url });
        await client.createCoupon({ external_id: "RESTOCK20" });
        const codes = Array.from({ length: total }, (_, i) => ({
          couponId: "RESTOCK20",
          unique_code: `RS-${i}`,
        }));
        await client.bulkCreateCouponCodes(codes);
        await emulator!.control.waitForJobs();
        for (let i = 0; i < assigned; i++) emulator!.control.assignCode(`RESTOCK20-RS-${i}`, `profile-${i}`);
      }

      it("exports the live availability when enough codes are unassigned", async () => {
        await seed(50, 10);
        const run = await runProgramUnderMocks(program("stock-guard"), {
          project: "stock-guard",
          config: guardConfig(),
          expectResources: 2,
        });
        assertCouponAndBatch(run, "restock", "restock-codes", "RESTOCK20");
        assert.deepEqual(resource(run, "restock-codes").inputs.generate, {
          count: 50,
          length: 8,
          prefix: "RS-",
        });
        const availability = output(run, "availability") as { unassigned: number; total: number };
        assert.equal(availability.unassigned, 40);
        assert.equal(availability.total, 50);
      });

      it("fails the availability output when fewer than minUnassigned codes are unassigned", async () => {
        await seed(50, 35);
        const run = await runProgramUnderMocks(program("stock-guard"), {
          project: "stock-guard",
          config: guardConfig(),
          expectResources: 2,
        });
        const settled = run.outputs.availability;
        assert.ok("error" in settled, "the guard should have failed");
        assert.match(settled.error.message, /RESTOCK20.*15 unassigned codes, below the minimum of 20/);
      });
    },
  );

  describe("real-account", () => {
    it("declares a trial coupon with ten generated codes and needs no baseUrl", async () => {
      const run = await runProgramUnderMocks(program("real-account"), {
        project: "real-account",
        expectResources: 2,
      });
      assertCouponAndBatch(run, "trial", "trial-codes", "PULUMI-TRIAL");
      assert.equal(resource(run, "trial-codes").inputs.generate.count, 10);
      const source = fs.readFileSync(program("real-account"), "utf8");
      assert.doesNotMatch(source, /baseUrl/);
      assert.equal(unwrap(resource(run, "trial-codes").inputs.deletePolicy), "delete-unassigned");
    });
  });
});
