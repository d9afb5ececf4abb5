import { strict as assert } from "assert";
import { loadImplementation } from "../../../provider/shim";

// loadImplementation resolves through the package's `exports` map, i.e. the built `dist/`
// (run `npm run build` first; `npm test` does it in `pretest`).
describe("shim", () => {
  describe("loadImplementation", () => {
    it("loads the built handlers through the package's two frozen internal exports", () => {
      for (const [name, file] of [
        ["couponHandlers", /dist[\\/]provider[\\/]coupon[\\/]handlers\.js$/],
        ["batchHandlers", /dist[\\/]provider[\\/]batch[\\/]handlers\.js$/],
      ] as const) {
        const handlers = loadImplementation(name);
        for (const method of ["configure", "check", "diff", "create", "read", "update", "remove"]) {
          assert.equal(typeof handlers[method], "function", `${name}.${method}`);
        }
        assert.match(require.resolve(`pulumi-klaviyo-coupons/internal/${name}`), file);
      }
    });

    it("returns the same module instance on every call so configure state is shared", () => {
      assert.equal(loadImplementation("couponHandlers"), loadImplementation("couponHandlers"));
      // Both resources configure through one module, which applies the settings to the one runtime.
      assert.equal(
        loadImplementation("couponHandlers").configure,
        loadImplementation("batchHandlers").configure,
      );
    });

    it("explains how to install the package when the module cannot be found", () => {
      assert.throws(
        () => loadImplementation("noSuchModule"),
        (err: Error) =>
          err.message.includes("pulumi-klaviyo-coupons/internal/noSuchModule") &&
          err.message.includes("npm install pulumi-klaviyo-coupons"),
      );
    });
  });
});
