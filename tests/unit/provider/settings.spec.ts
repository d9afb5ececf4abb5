import { strict as assert } from "assert";
import { DEFAULT_REVISION } from "../../../provider/client";
import {
  MISSING_API_KEY_MESSAGE,
  missingApiKeyMessage,
  resolveClientSettings,
  type SettingSources,
} from "../../../provider/settings";

/** A stack config as the host's `req.config` exposes it (namespaced keys). */
function stackConfig(values: Record<string, string>) {
  return { get: (key: string) => values[key] };
}

const KEY = "pk_unit_test_secret_0123456789";

/** The options, failing the test with the message when the sources are refused. */
function options(sources: Omit<SettingSources, "keyHint">) {
  const result = resolveClientSettings({ keyHint: "stack", ...sources });
  if (!result.ok) assert.fail(result.message);
  return result.options;
}

/** The message for sources that must be refused. */
function failure(sources: Omit<SettingSources, "keyHint">): string {
  const result = resolveClientSettings({ keyHint: "stack", ...sources });
  assert.equal(result.ok, false, "expected a failure");
  return result.ok ? "" : result.message;
}

/** The message for a base URL given in stack config (with a valid key). */
function baseUrlFailure(url: string): string {
  return failure({ config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": url }) });
}

describe("settings", () => {
  describe("resolveClientSettings: precedence", () => {
    const env = {
      KLAVIYO_API_KEY: "pk_from_env",
      KLAVIYO_BASE_URL: "http://127.0.0.1:9999",
      KLAVIYO_REVISION: "2025-10-15",
    };
    const config = stackConfig({
      "klaviyo:apiKey": "pk_from_config",
      "klaviyo:baseUrl": "https://eu.example.com/",
      "klaviyo:revision": "2026-01-15",
    });

    it("prefers an explicit value to stack config, and stack config to the environment", () => {
      assert.deepEqual(options({ config, env }), {
        apiKey: "pk_from_config",
        baseUrl: "https://eu.example.com/",
        revision: "2026-01-15",
      });
      const explicit = {
        apiKey: { value: "pk_explicit", source: "--api-key-file key" },
        baseUrl: { value: "http://localhost:1", source: "--base-url" },
      };
      assert.deepEqual(options({ explicit, config, env }), {
        apiKey: "pk_explicit",
        baseUrl: "http://localhost:1/",
        revision: "2026-01-15",
      });
    });

    it("falls back to the environment when stack config is unset or blank, then to the defaults", () => {
      const blank = stackConfig({ "klaviyo:apiKey": "", "klaviyo:baseUrl": "  " });
      assert.deepEqual(options({ config: blank, env }), {
        apiKey: "pk_from_env",
        baseUrl: "http://127.0.0.1:9999/",
        revision: "2025-10-15",
      });
      assert.deepEqual(options({ env: { KLAVIYO_API_KEY: KEY, KLAVIYO_REVISION: " \n" } }), {
        apiKey: KEY,
        baseUrl: "https://a.klaviyo.com/",
        revision: DEFAULT_REVISION,
      });
    });

    it("trims stack config and environment values, but takes an explicit value as given", () => {
      assert.equal(options({ config: stackConfig({ "klaviyo:apiKey": ` ${KEY}\n` }) }).apiKey, KEY);
      assert.equal(
        options({ env: { KLAVIYO_API_KEY: KEY, KLAVIYO_REVISION: "2025-10-15\n" } }).revision,
        "2025-10-15",
      );
      const explicit = { apiKey: { value: ` ${KEY}`, source: "--api-key-file key" } };
      assert.match(failure({ explicit }), /^--api-key-file key contains whitespace/);
      assert.equal(
        failure({ explicit: { apiKey: { value: "", source: "--api-key-file key" } } }),
        "--api-key-file key is empty",
      );
    });

    it("treats a config object that throws as unset when Configure never arrived", () => {
      const broken = {
        get(): string | undefined {
          throw new TypeError("Cannot read properties of undefined");
        },
      };
      assert.equal(options({ config: broken, env: { KLAVIYO_API_KEY: "pk_env" } }).apiKey, "pk_env");
    });
  });

  describe("resolveClientSettings: the key", () => {
    it("names the setting and never echoes the key when it holds whitespace, controls or non-ASCII", () => {
      for (const bad of [
        "pk_has space_secret",
        "pk_tab\tsecret",
        "pk_accent_é_secret",
        "pk_del\u007fsecret",
      ]) {
        const fromConfig = failure({ config: stackConfig({ "klaviyo:apiKey": bad }) });
        assert.equal(
          fromConfig,
          "klaviyo:apiKey contains whitespace, control or non-ASCII characters; set it to the private key alone",
        );
        assert.match(failure({ env: { KLAVIYO_API_KEY: bad } }), /^KLAVIYO_API_KEY contains whitespace/);
      }
    });

    it("reports a missing key last, with the hint of the caller, all from one message", () => {
      assert.equal(failure({}), MISSING_API_KEY_MESSAGE);
      assert.match(failure({ env: { KLAVIYO_REVISION: "v3" } }), /^KLAVIYO_REVISION/);
      const result = resolveClientSettings({ keyHint: "stack" });
      assert.deepEqual(result, { ok: false, name: "apiKey", message: MISSING_API_KEY_MESSAGE });
      assert.equal(
        MISSING_API_KEY_MESSAGE,
        "No Klaviyo API key: set it with `pulumi config set --secret klaviyo:apiKey <key>` or the " +
          "KLAVIYO_API_KEY environment variable.",
      );
      assert.equal(
        missingApiKeyMessage("library"),
        "No Klaviyo API key: pass a client or client options, or set KLAVIYO_API_KEY.",
      );
      assert.equal(
        missingApiKeyMessage("cli"),
        "No Klaviyo API key: set the KLAVIYO_API_KEY environment variable or pass --api-key-file PATH " +
          "(a file containing the private key).",
      );
    });
  });

  describe("resolveClientSettings: the base URL", () => {
    it("accepts plain http only for loopback addresses, and ends the URL in exactly one slash", () => {
      const cases: Array<[string, string]> = [
        ["http://127.0.0.1:4010", "http://127.0.0.1:4010/"],
        ["http://127.1.2.3:4010/", "http://127.1.2.3:4010/"],
        ["http://localhost:4010", "http://localhost:4010/"],
        ["http://[::1]:4010", "http://[::1]:4010/"],
        ["https://a.klaviyo.com/", "https://a.klaviyo.com/"],
        ["https://proxy.example/klaviyo//", "https://proxy.example/klaviyo/"],
      ];
      for (const [url, expected] of cases) {
        assert.equal(
          options({ config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:baseUrl": url }) }).baseUrl,
          expected,
        );
      }
      for (const url of ["http://a.klaviyo.com", "http://10.0.0.1:4010", "http://127.0.0.1.example.com"]) {
        assert.match(baseUrlFailure(url), /^klaviyo:baseUrl ".*" must use https/, url);
      }
    });

    it("names the source the value came from", () => {
      const url = "http://example.com";
      const tail = '"http://example.com" must use https (plain http is allowed only for loopback addresses)';
      assert.equal(baseUrlFailure(url), `klaviyo:baseUrl ${tail}`);
      assert.equal(
        failure({ env: { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: url } }),
        `KLAVIYO_BASE_URL ${tail}`,
      );
      const explicit = { baseUrl: { value: url, source: "--base-url" } };
      assert.equal(failure({ explicit, env: { KLAVIYO_API_KEY: KEY } }), `--base-url ${tail}`);
    });

    it("never echoes a query string, user info, fragment or unparsable value, naming the part instead", () => {
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
        const message = baseUrlFailure(url);
        assert.match(message, expected, url);
        assert.ok(!message.includes(key), `${url} echoed in: ${message}`);
      }
    });

    it("refuses an empty query or fragment, and other schemes, showing only the scheme when there is no host", () => {
      assert.match(baseUrlFailure("https://a.klaviyo.com/?"), /must not contain a query string/);
      assert.match(baseUrlFailure("https://a.klaviyo.com#"), /must not contain a fragment/);
      assert.match(
        baseUrlFailure("ftp://127.0.0.1"),
        /^klaviyo:baseUrl "ftp:\/\/127\.0\.0\.1" must use https/,
      );
      assert.match(baseUrlFailure("mailto:someone"), /^klaviyo:baseUrl "mailto:" must use https/);
    });
  });

  describe("resolveClientSettings: echoes", () => {
    it("cuts an overlong base URL or revision at 64 characters when echoing it", () => {
      const host = `${"h".repeat(60)}.example.com`;
      assert.equal(
        baseUrlFailure(`http://${host}/${"p".repeat(1_000_000)}`),
        `klaviyo:baseUrl "http://${host.slice(0, 57)}…" (${"http://".length + host.length + 1 + 1_000_000} characters) must use https (plain http is allowed only for loopback addresses)`,
      );
      assert.equal(
        failure({
          config: stackConfig({ "klaviyo:apiKey": KEY, "klaviyo:revision": "r".repeat(1_000_000) }),
        }),
        `klaviyo:revision "${"r".repeat(64)}…" (1000000 characters) must look like YYYY-MM-DD or YYYY-MM-DD.suffix`,
      );
    });
  });
});
