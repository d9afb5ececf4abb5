import { strict as assert } from "assert";
import { configure, getClient, getCodeSecret, MISSING_API_KEY_MESSAGE } from "../../../provider/runtime";

type RuntimeConfig = typeof import("../../../provider/runtime");

/** A stack config as the host's `req.config` exposes it (namespaced keys). */
function stackConfig(values: Record<string, string>) {
  return { get: (key: string) => values[key] };
}

/**
 * A fresh copy of the module, still unconfigured, so the "handler before configure" path can be
 * exercised; the shared copy is put back so other specs keep theirs.
 */
function freshRuntimeConfig(): RuntimeConfig {
  const file = require.resolve("../../../provider/runtime");
  const shared = require.cache[file];
  delete require.cache[file];
  try {
    return require(file) as RuntimeConfig;
  } finally {
    require.cache[file] = shared;
  }
}

const KEY = "pk_unit_test_secret_0123456789";

describe("runtimeConfig", () => {
  // Reading and checking the settings is `provider/settings.ts`'s (see settings.spec.ts); these check
  // what configure keeps of them and when getClient reports a failure.
  describe("configure", () => {
    after(() => configure({ config: stackConfig({}) }));

    it("reads stack config first, then the environment", async () => {
      configure(
        { config: stackConfig({ "klaviyo:apiKey": ` ${KEY}\n`, "klaviyo:baseUrl": "" }) },
        { KLAVIYO_API_KEY: "pk_from_env", KLAVIYO_BASE_URL: "http://127.0.0.1:1" },
      );
      assert.equal(await getCodeSecret(), KEY);
      configure({ config: stackConfig({}) }, { KLAVIYO_API_KEY: "pk_from_env" });
      assert.equal(await getCodeSecret(), "pk_from_env");
    });

    it("treats a config object that throws as unset when Configure never arrived", async () => {
      const broken = {
        get(): string | undefined {
          throw new TypeError("Cannot read properties of undefined");
        },
      };
      assert.doesNotThrow(() => configure({ config: broken }, { KLAVIYO_API_KEY: "pk_env" }));
      assert.equal(await getCodeSecret(), "pk_env");
    });

    it("never echoes a key pasted into KLAVIYO_BASE_URL or klaviyo:baseUrl, up to getClient", async () => {
      const key = "pk_pasted_secret_0123456789";
      const url = `http://example.com/coupons?api_key=${key}`;
      const cases: Array<[Record<string, string>, Record<string, string>, RegExp]> = [
        [
          {},
          { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: url },
          /^KLAVIYO_BASE_URL must not contain a query string/,
        ],
        [
          { "klaviyo:apiKey": KEY, "klaviyo:baseUrl": url },
          {},
          /^klaviyo:baseUrl must not contain a query string/,
        ],
      ];
      for (const [config, env, expected] of cases) {
        configure({ config: stackConfig(config) }, env);
        await assert.rejects(getClient(), (err: Error) => {
          assert.match(err.message, expected);
          assert.ok(!err.message.includes(key));
          return true;
        });
      }
    });
  });

  describe("getClient", () => {
    // Leave the shared module as a process outside a Pulumi host would find it: environment only.
    after(() => configure({ config: stackConfig({}) }));

    it("fails with a message naming both ways to set the key when no key is configured", async () => {
      configure({ config: stackConfig({ "klaviyo:baseUrl": "http://127.0.0.1:1" }) }, {});
      await assert.rejects(getClient(), (err: Error) => {
        assert.equal(err.message, MISSING_API_KEY_MESSAGE);
        assert.match(err.message, /pulumi config set --secret klaviyo:apiKey/);
        assert.match(err.message, /KLAVIYO_API_KEY environment variable/);
        return true;
      });
    });

    it("returns a client when a key is configured", async () => {
      configure(
        { config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": "http://127.0.0.1:1" }) },
        {},
      );
      const client = await getClient();
      assert.equal(typeof client.createCoupon, "function");
      assert.equal(await getClient(), client, "the client is built once per configure");
    });

    it("reports an invalid setting on every call when configure saw one", async () => {
      configure(
        { config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": "http://example.com" }) },
        {},
      );
      for (let i = 0; i < 2; i++) {
        await assert.rejects(getClient(), (err: Error) => {
          assert.match(err.message, /klaviyo:baseUrl "http:\/\/example.com" must use https/);
          assert.ok(!err.message.includes(KEY));
          return true;
        });
      }
    });

    it("waits for configure when a handler starts before configure has run", async () => {
      const fresh = freshRuntimeConfig();
      let settled = false;
      const pending = fresh.getClient().finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(settled, false, "getClient must wait for configure");
      fresh.configure(
        { config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": "http://127.0.0.1:1" }) },
        {},
      );
      const client = await pending;
      assert.equal(typeof client.getCoupon, "function");
    });
  });
});
