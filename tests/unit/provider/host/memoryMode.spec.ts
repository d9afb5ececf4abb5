import { strict as assert } from "assert";
import {
  HOST_V8_FLAGS,
  OPTIMIZE_FOR_SIZE_ENV,
  optimizeHostForSize,
  resetHostMemoryModeForTests,
  type HostMemoryContext,
} from "../../../../provider/host/memoryMode";

const HOST = ["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:4321"];

function context(argv: string[], env: Record<string, string> = {}): HostMemoryContext & { set: string[] } {
  const set: string[] = [];
  return { argv, env, set, setFlags: (flags) => set.push(flags), collect: () => set.push("gc") };
}

describe("memoryMode", () => {
  beforeEach(() => resetHostMemoryModeForTests());
  afterEach(() => resetHostMemoryModeForTests());

  describe("optimizeHostForSize", () => {
    it("sets the memory-saving V8 flags once when the process is the dynamic-provider host", () => {
      const ctx = context(HOST);
      assert.equal(optimizeHostForSize(ctx), true);
      assert.equal(optimizeHostForSize(ctx), false);
      assert.deepEqual(ctx.set, [HOST_V8_FLAGS, "gc"]);
    });

    it("leaves any other process alone (tests, the library API, the CLI)", () => {
      const ctx = context(["node", "/p/node_modules/.bin/klaviyo-coupons", "127.0.0.1:4321"]);
      assert.equal(optimizeHostForSize(ctx), false);
      assert.deepEqual(ctx.set, []);
    });

    it("keeps V8's defaults when the user opts out with false or 0", () => {
      for (const value of ["false", " FALSE ", "0"]) {
        const ctx = context(HOST, { [OPTIMIZE_FOR_SIZE_ENV]: value });
        assert.equal(optimizeHostForSize(ctx), false, value);
        assert.deepEqual(ctx.set, [], value);
      }
      const ctx = context(HOST, { [OPTIMIZE_FOR_SIZE_ENV]: "true" });
      assert.equal(optimizeHostForSize(ctx), true);
    });
  });
});
