import { strict as assert } from "assert";
import { loadImplementation } from "../../provider/shim";

// loadImplementation resolves through the package's `exports` map, i.e. the built `dist/`
// (run `npm run build` first; `npm test` does it in `pretest`).
describe("shim", () => {
  describe("loadImplementation", () => {
    it("loads the built module through the package's internal exports when it exists", () => {
      const values = loadImplementation("values");
      assert.equal(values.UNKNOWN, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
      assert.match(
        require.resolve("pulumi-klaviyo-coupons/internal/values"),
        /dist[\\/]provider[\\/]values\.js$/,
      );
    });

    it("returns the same module instance on every call so configure state is shared", () => {
      assert.equal(loadImplementation("runtimeConfig"), loadImplementation("runtimeConfig"));
      // Both resources configure through one module, which applies the settings to the one runtimeConfig.
      assert.equal(
        loadImplementation("couponHandlers").configure,
        loadImplementation("hostConfigure").configure,
      );
      assert.equal(
        loadImplementation("batchHandlers").configure,
        loadImplementation("hostConfigure").configure,
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
