import { strict as assert } from "assert";
import { EngineSimulator, secret, type Secret } from "../../../../testkit/harness/engine";
import { startProviderHost, type ProviderHost } from "../../../../testkit/harness/providerHost";
import { type HostRpcError, isHostRpcError } from "../../../../testkit/harness/rpcError";
import { COUPON_TYPE, startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";

/** Environment that hides any Klaviyo settings of the machine running the tests. */
const NO_KLAVIYO_ENV = {
  KLAVIYO_API_KEY: undefined,
  KLAVIYO_BASE_URL: undefined,
  KLAVIYO_REVISION: undefined,
};
const WRONG_KEY = "pk_wrong_key_that_must_never_leak_0123456789";

// Failure paths through the SDK's real dynamic-provider host, against the emulator with its real
// rate limits on: existing coupons, injected 429s and 5xx, missing and wrong keys.
describe("Coupon (engine protocol, failures)", function () {
  this.timeout(120_000);
  let stack: ProviderStack;
  const extraHosts: ProviderHost[] = [];
  /** Error texts the user would see, checked for the key at the end. */
  const seenErrors: string[] = [];
  const up = (name: string, inputs: Record<string, unknown>) => stack.engine.up(name, COUPON_TYPE, inputs);
  const log = () => stack.emulator.control.requestLog().map((r) => `${r.method} ${r.path} -> ${r.status}`);

  /** A separate host process configured with `config` (the host configures once per process). */
  async function engineWith(config: Record<string, string | Secret<string>>): Promise<EngineSimulator> {
    const host = await startProviderHost({
      cwd: stack.project.dir,
      project: stack.project.project,
      env: NO_KLAVIYO_ENV,
    });
    extraHosts.push(host);
    const engine = new EngineSimulator(host, {
      provider: stack.couponProvider,
      project: stack.project.project,
    });
    await engine.configure(config);
    return engine;
  }

  function rpcError(err: unknown): HostRpcError {
    assert.ok(isHostRpcError(err), String(err));
    seenErrors.push(err.message, err.details);
    return err;
  }

  before(async () => {
    stack = await startProviderStack();
  });
  beforeEach(() => stack.emulator.control.resetRequestLog());
  after(async () => {
    for (const host of extraHosts) await host.stop().catch(() => undefined);
    stack?.emulator.assertNoSpecViolations();
    await stack?.close();
  });

  describe("create of an existing external id", () => {
    before(() =>
      stack.emulator.control.seedUiCoupon({ externalId: "UIMADE", description: "made in the UI" }),
    );

    it("fails with an error saying it exists and how to adopt it when adopt is not set", async () => {
      await assert.rejects(up("uimade", { externalId: "UIMADE", description: "managed" }), (err) => {
        const { details } = rpcError(err);
        assert.match(details, /"UIMADE" already exists/);
        assert.match(details, /adopt: true/);
        return true;
      });
      assert.equal(stack.engine.state("uimade"), undefined);
      assert.ok(!log().some((l) => l.startsWith("PATCH")), "nothing may change without adopt");
    });

    it("takes the coupon over and sets the declared values when adopt is true", async () => {
      const result = await up("uimade", {
        externalId: "UIMADE",
        description: "managed",
        lowBalanceThreshold: 3,
        adopt: true,
      });
      assert.equal(result.op, "create");
      assert.equal(result.outputs.adopt, true);
      assert.deepEqual(log(), [
        "POST /api/coupons -> 409",
        "GET /api/coupons/UIMADE -> 200",
        "PATCH /api/coupons/UIMADE -> 200",
      ]);
      assert.equal(stack.emulator.control.counts().coupons, 1);
      const again = await up("uimade", {
        externalId: "UIMADE",
        description: "managed",
        lowBalanceThreshold: 3,
        adopt: true,
      });
      assert.equal(again.op, "same");
    });
  });

  describe("injected faults on coupon writes", () => {
    it("recovers from 429s without the user seeing them", async () => {
      const control = stack.emulator.control;
      control.injectFault({ method: "POST", path: "/api/coupons", status: 429, retryAfter: 1, count: 2 });
      control.injectFault({ method: "PATCH", path: "/api/coupons/", status: 429, retryAfter: 1, count: 2 });
      control.injectFault({ method: "DELETE", path: "/api/coupons/", status: 429, retryAfter: 1, count: 2 });
      const outputBefore = stack.host.lines.length;
      assert.equal((await up("limited", { externalId: "LIMITED", description: "a" })).op, "create");
      assert.equal((await up("limited", { externalId: "LIMITED", description: "b" })).op, "update");
      await stack.engine.destroy("limited");
      const statuses = log().map((l) => l.replace(/ \/api.* ->/, ""));
      assert.deepEqual(statuses, [
        "POST 429",
        "POST 429",
        "POST 201",
        "PATCH 429",
        "PATCH 429",
        "PATCH 200",
        "DELETE 429",
        "DELETE 429",
        "DELETE 204",
      ]);
      assert.deepEqual(stack.host.lines.slice(outputBefore), [], "the host printed something");
    });

    it("recovers from 5xx responses without the user seeing them", async () => {
      const control = stack.emulator.control;
      control.injectFault({ method: "POST", path: "/api/coupons", status: 503, count: 2 });
      control.injectFault({ method: "POST", path: "/api/coupons", status: 502 });
      control.injectFault({ method: "PATCH", path: "/api/coupons/", status: 500, count: 2 });
      control.injectFault({ method: "DELETE", path: "/api/coupons/", status: 504, count: 2 });
      const outputBefore = stack.host.lines.length;
      assert.equal((await up("flaky", { externalId: "FLAKY", description: "a" })).op, "create");
      assert.equal((await up("flaky", { externalId: "FLAKY", description: "b" })).op, "update");
      await stack.engine.destroy("flaky");
      assert.deepEqual(log(), [
        "POST /api/coupons -> 503",
        "POST /api/coupons -> 503",
        // A gateway timeout may hide a processed POST: the provider looks before sending it again.
        "POST /api/coupons -> 502",
        "GET /api/coupons/FLAKY -> 404",
        "POST /api/coupons -> 201",
        "PATCH /api/coupons/FLAKY -> 500",
        "PATCH /api/coupons/FLAKY -> 500",
        "PATCH /api/coupons/FLAKY -> 200",
        "DELETE /api/coupons/FLAKY -> 504",
        "DELETE /api/coupons/FLAKY -> 504",
        "DELETE /api/coupons/FLAKY -> 204",
      ]);
      assert.equal(stack.emulator.control.counts().coupons, 1, "only the adopted UIMADE is left");
      assert.deepEqual(stack.host.lines.slice(outputBefore), [], "the host printed something");
    });
  });

  describe("missing API key", () => {
    it("fails with a message naming both ways to set the key when neither config nor env has one", async () => {
      const engine = await engineWith({ "klaviyo:baseUrl": stack.emulator.url });
      const before = stack.emulator.control.counts().requests;
      // Check and preview need no key: they never call Klaviyo.
      assert.equal((await engine.preview("nokey", COUPON_TYPE, { externalId: "NOKEY" })).op, "create");
      await assert.rejects(engine.up("nokey", COUPON_TYPE, { externalId: "NOKEY" }), (err) => {
        const { details } = rpcError(err);
        assert.match(details, /pulumi config set --secret klaviyo:apiKey/);
        assert.match(details, /KLAVIYO_API_KEY environment variable/);
        return true;
      });
      assert.equal(stack.emulator.control.counts().requests, before);
    });

    it("uses KLAVIYO_API_KEY from the environment when the stack config has no key", async () => {
      const host = await startProviderHost({
        cwd: stack.project.dir,
        project: stack.project.project,
        env: {
          ...NO_KLAVIYO_ENV,
          KLAVIYO_API_KEY: stack.emulator.apiKey,
          KLAVIYO_BASE_URL: stack.emulator.url,
        },
      });
      extraHosts.push(host);
      const engine = new EngineSimulator(host, {
        provider: stack.couponProvider,
        project: stack.project.project,
      });
      await engine.configure({});
      assert.equal((await engine.up("envkey", COUPON_TYPE, { externalId: "ENVKEY" })).op, "create");
      await engine.destroy("envkey");
      assert.ok(!host.output().includes(stack.emulator.apiKey));
    });
  });

  describe("wrong API key", () => {
    it("reports Klaviyo's 401 on create, read and delete without ever showing the key", async () => {
      const engine = await engineWith({
        "klaviyo:apiKey": secret(WRONG_KEY),
        "klaviyo:baseUrl": stack.emulator.url,
      });
      await assert.rejects(engine.up("wrong", COUPON_TYPE, { externalId: "WRONG" }), (err) => {
        assert.match(rpcError(err).details, /401/);
        return true;
      });
      const kept = stack.engine.state("uimade")!;
      const target = { id: kept.id, urn: kept.urn, properties: kept.outputs };
      await assert.rejects(engine.host.read({ ...target, inputs: kept.inputs }), (err) =>
        /401/.test(rpcError(err).details),
      );
      await assert.rejects(engine.host.delete({ ...target, oldInputs: kept.inputs }), (err) =>
        /401/.test(rpcError(err).details),
      );
      assert.match(engine.host.output(), /401/, "read and delete print their error to stderr");
      assert.ok(!engine.host.output().includes(WRONG_KEY), "the key leaked into the host's output");
      assert.ok(!engine.stateText().includes(WRONG_KEY), "the key leaked into the state");
    });
  });

  describe("secrets", () => {
    it("never shows an API key in any error the user saw or in any host's output", () => {
      assert.ok(seenErrors.length >= 5, `only ${seenErrors.length} errors were collected`);
      for (const key of [stack.emulator.apiKey, WRONG_KEY]) {
        for (const text of seenErrors) assert.ok(!text.includes(key), text);
        for (const host of [stack.host, ...extraHosts])
          assert.ok(!host.output().includes(key), host.output());
        assert.ok(!stack.couponProvider.includes(key));
        assert.ok(!stack.engine.stateText().includes(key));
      }
    });
  });
});
