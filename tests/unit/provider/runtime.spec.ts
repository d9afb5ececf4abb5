import { strict as assert } from "assert";
import { DEFAULT_BASE_URL, DEFAULT_REVISION } from "../../../provider/client";
import {
  configure,
  getClient,
  isLoopbackHost,
  MISSING_API_KEY_MESSAGE,
  resolveSettings,
  validateBaseUrl,
} from "../../../provider/runtime";

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
  describe("resolveSettings", () => {
    const env = {
      KLAVIYO_API_KEY: "pk_from_env",
      KLAVIYO_BASE_URL: "http://127.0.0.1:9999",
      KLAVIYO_REVISION: "2025-10-15",
    };

    it("prefers stack config over the environment when both are set", () => {
      const config = stackConfig({
        "klaviyo:apiKey": "pk_from_config",
        "klaviyo:baseUrl": "https://eu.example.com/",
        "klaviyo:revision": "2026-01-15",
      });
      assert.deepEqual(resolveSettings(config, env), {
        apiKey: "pk_from_config",
        baseUrl: "https://eu.example.com",
        revision: "2026-01-15",
      });
    });

    it("falls back to the environment when stack config is unset or empty", () => {
      const config = stackConfig({ "klaviyo:apiKey": "", "klaviyo:baseUrl": "  " });
      assert.deepEqual(resolveSettings(config, env), {
        apiKey: "pk_from_env",
        baseUrl: "http://127.0.0.1:9999",
        revision: "2025-10-15",
      });
    });

    it("uses the defaults when neither stack config nor environment sets a value", () => {
      assert.deepEqual(resolveSettings(stackConfig({}), {}), {
        apiKey: undefined,
        baseUrl: DEFAULT_BASE_URL,
        revision: DEFAULT_REVISION,
      });
      assert.equal(DEFAULT_BASE_URL, "https://a.klaviyo.com");
    });

    it("trims whitespace around values when they were pasted with it", () => {
      const settings = resolveSettings(stackConfig({ "klaviyo:apiKey": ` ${KEY}\n` }), {});
      assert.equal(settings.apiKey, KEY);
    });

    it("treats a config object that throws as unset when Configure never arrived", () => {
      const broken = {
        get(): string | undefined {
          throw new TypeError("Cannot read properties of undefined");
        },
      };
      assert.equal(resolveSettings(broken, { KLAVIYO_API_KEY: "pk_env" }).apiKey, "pk_env");
    });

    it("names the setting and never echoes the key when the key holds whitespace", () => {
      const bad = "pk_has space_secret";
      assert.throws(
        () => resolveSettings(stackConfig({ "klaviyo:apiKey": bad }), {}),
        (err: Error) => /klaviyo:apiKey/.test(err.message) && !err.message.includes(bad),
      );
      assert.throws(
        () => resolveSettings(stackConfig({}), { KLAVIYO_API_KEY: bad }),
        (err: Error) => /KLAVIYO_API_KEY/.test(err.message) && !err.message.includes(bad),
      );
    });

    it("names the setting when the revision is malformed", () => {
      assert.throws(
        () => resolveSettings(stackConfig({ "klaviyo:revision": "latest" }), {}),
        /klaviyo:revision/,
      );
      assert.throws(() => resolveSettings(stackConfig({}), { KLAVIYO_REVISION: "v3" }), /KLAVIYO_REVISION/);
    });
  });

  describe("validateBaseUrl", () => {
    it("accepts plain http when the host is a loopback address", () => {
      assert.equal(validateBaseUrl("http://127.0.0.1:4010"), "http://127.0.0.1:4010");
      assert.equal(validateBaseUrl("http://127.1.2.3:4010/"), "http://127.1.2.3:4010");
      assert.equal(validateBaseUrl("http://localhost:4010"), "http://localhost:4010");
      assert.equal(validateBaseUrl("http://[::1]:4010"), "http://[::1]:4010");
      assert.equal(validateBaseUrl("https://a.klaviyo.com/"), "https://a.klaviyo.com");
    });

    it("rejects plain http when the host is not a loopback address", () => {
      for (const url of ["http://a.klaviyo.com", "http://10.0.0.1:4010", "http://127.0.0.1.example.com"]) {
        assert.throws(() => validateBaseUrl(url), /klaviyo:baseUrl .*must use https/, url);
      }
      assert.throws(
        () => resolveSettings(stackConfig({}), { KLAVIYO_BASE_URL: "http://example.com" }),
        /KLAVIYO_BASE_URL .*must use https/,
      );
    });

    it("rejects other schemes, garbage, queries and credentials", () => {
      assert.throws(() => validateBaseUrl("ftp://127.0.0.1"), /must use https/);
      assert.throws(() => validateBaseUrl("not a url"), /not a valid URL/);
      assert.throws(() => validateBaseUrl("https://a.klaviyo.com/?x=1"), /must not contain a query string/);
      assert.throws(
        () => validateBaseUrl("https://user:hunter2@a.klaviyo.com"),
        (err: Error) => /user name or password/.test(err.message) && !err.message.includes("hunter2"),
      );
    });

    it("never echoes a query string, user info or fragment, naming the part that is not allowed instead", () => {
      const key = "pk_pasted_secret_0123456789";
      const cases: Array<[string, RegExp]> = [
        [
          `https://a.klaviyo.com/?api_key=${key}`,
          /^klaviyo:baseUrl must not contain a query string \(\?\.\.\.\)$/,
        ],
        [`https://a.klaviyo.com/#${key}`, /^klaviyo:baseUrl must not contain a fragment \(#\.\.\.\)$/],
        [`https://${key}@a.klaviyo.com`, /^klaviyo:baseUrl must not contain a user name or password/],
        [`https://u:${key}@a.klaviyo.com`, /user name or password/],
        [`http://example.com/?api_key=${key}`, /must not contain a query string/],
        [`http://example.com/#${key}`, /must not contain a fragment/],
        [`ftp://127.0.0.1/?k=${key}`, /must not contain a query string/],
        [`https://a.klaviyo.com:99999/?k=${key}`, /^klaviyo:baseUrl is not a valid URL/],
        [
          key,
          /^klaviyo:baseUrl is not a valid URL \(expected an origin such as https:\/\/a\.klaviyo\.com\)$/,
        ],
      ];
      for (const [url, expected] of cases) {
        assert.throws(
          () => validateBaseUrl(url),
          (err: Error) => {
            assert.match(err.message, expected, url);
            assert.ok(!err.message.includes(key), `${url} echoed in: ${err.message}`);
            return true;
          },
        );
      }
    });

    it("never echoes a key pasted into KLAVIYO_BASE_URL or klaviyo:baseUrl, up to getClient", async () => {
      const key = "pk_pasted_secret_0123456789";
      const url = `http://example.com/coupons?api_key=${key}`;
      assert.throws(
        () => resolveSettings(stackConfig({}), { KLAVIYO_BASE_URL: url }),
        (err: Error) =>
          /^KLAVIYO_BASE_URL must not contain a query string/.test(err.message) && !err.message.includes(key),
      );
      configure({ config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": url }) }, {});
      await assert.rejects(getClient(), (err: Error) => {
        assert.match(err.message, /^klaviyo:baseUrl must not contain a query string/);
        assert.ok(!err.message.includes(key));
        return true;
      });
      configure({ config: stackConfig({}) });
    });

    it("cuts an overlong base URL or revision at 64 characters when echoing it", () => {
      const host = `${"h".repeat(60)}.example.com`;
      assert.throws(
        () => validateBaseUrl(`http://${host}/${"p".repeat(1_000_000)}`),
        (err: Error) => {
          assert.equal(
            err.message,
            `klaviyo:baseUrl "http://${host.slice(0, 57)}…" (${"http://".length + host.length + 1 + 1_000_000} characters) must use https (plain http is allowed only for loopback addresses)`,
          );
          return true;
        },
      );
      assert.throws(
        () => resolveSettings(stackConfig({ "klaviyo:revision": "r".repeat(1_000_000) }), {}),
        (err: Error) => {
          assert.equal(
            err.message,
            `klaviyo:revision "${"r".repeat(64)}…" (1000000 characters) must look like YYYY-MM-DD or YYYY-MM-DD.suffix`,
          );
          return true;
        },
      );
    });
  });

  describe("isLoopbackHost", () => {
    it("recognises loopback names and addresses only", () => {
      for (const h of ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]"])
        assert.ok(isLoopbackHost(h), h);
      for (const h of ["example.com", "10.0.0.1", "128.0.0.1", "localhost.example.com"]) {
        assert.ok(!isLoopbackHost(h), h);
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
