import { strict as assert } from "assert";
import * as net from "net";
import { engineAddressOfHost, startEngineWatch } from "../../../../provider/host/engineWatch";
import { BATCH_TYPE, startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";

async function listen(): Promise<{ server: net.Server; address: string }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, address: `127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

describe("engineWatch", () => {
  describe("engineAddressOfHost", () => {
    it("returns the engine address only inside the SDK's dynamic-provider host", () => {
      const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
      assert.equal(engineAddressOfHost(["node", host, "127.0.0.1:4321"]), "127.0.0.1:4321");
      assert.equal(engineAddressOfHost(["node", "/p/node_modules/.bin/mocha", "127.0.0.1:4321"]), undefined);
      assert.equal(engineAddressOfHost(["node", host]), undefined);
      assert.equal(engineAddressOfHost(["node", host, "--flag"]), undefined);
    });
  });

  describe("startEngineWatch", () => {
    it("stays quiet while the engine accepts connections and reports it gone once it refuses them", async () => {
      const { server, address } = await listen();
      const gone: string[] = [];
      const stop = startEngineWatch({ address, everyMs: 30, onGone: (a) => gone.push(a) });
      try {
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(gone, []);
        await new Promise((r) => server.close(r));
        const deadline = Date.now() + 5_000;
        while (gone.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 30));
        assert.deepEqual(gone, [address]);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(gone.length, 1, "reported once");
      } finally {
        stop();
      }
    });
  });

  describe("in the provider host", function () {
    this.timeout(60_000);
    let stack: ProviderStack;
    before(async () => (stack = await startProviderStack({ emulator: { rateLimits: { enabled: false } } })));
    after(async () => stack?.close());

    it("stops the host, saying why, when the engine that started it goes away", async () => {
      // Any handler call loads the implementation, whose configure starts the watch.
      await stack.engine.preview(
        "b",
        BATCH_TYPE,
        { couponId: "C1", codes: ["A1"] },
        { provider: stack.batchProvider },
      );
      await new Promise((r) => setTimeout(r, 4_000));
      assert.ok(stack.host.running(), "the host must keep running while its engine is alive");
      await stack.host.stopEngine();
      const exit = await Promise.race([
        stack.host.exited,
        new Promise((r) => setTimeout(() => r("timeout"), 20_000)),
      ]);
      assert.notEqual(exit, "timeout", "the host outlived its engine");
      assert.match(
        stack.host.output(),
        /The Pulumi CLI that started this provider host .* is gone; stopping the host/,
      );
    });
  });
});
