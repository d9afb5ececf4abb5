/**
 * The four routes from settings to a client (the provider's `getClient`, the library's
 * `resolveAvailabilityClient`, the program's `clientFromStackConfig`, the CLI's `connect`) run on the same
 * inputs and must answer the same: the same request, or the same message naming the source. Each case is
 * one of the disagreements found before they shared `provider/settings.ts`.
 */
import { strict as assert } from "assert";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { connect } from "../../../bin/cliOptions";
import { resolveAvailabilityClient } from "../../../provider/availability/counting";
import { clientFromStackConfig } from "../../../provider/availability/output";
import type { KlaviyoClient } from "../../../provider/client";
import { configure, getClient } from "../../../provider/runtime";
import { missingApiKeyMessage, settingKeys, type SettingName } from "../../../provider/settings";
import { startStub, type Stub } from "../../../testkit/stubServer";

const KEY = "pk_routes_spec_key";
const SECRET = "pk_pasted_secret_0123456789";
const NOT_HTTPS = "must use https (plain http is allowed only for loopback addresses)";

/** One setting's value and where it is written. */
interface Input {
  name: SettingName;
  value: string;
  where: "env" | "config" | "flag";
}

interface Route {
  label: string;
  accepts: Array<Input["where"]>;
  open(
    env: Record<string, string>,
    config: Record<string, string>,
    flags: Record<string, string>,
  ): Promise<KlaviyoClient>;
}

const HELP_HINT = " (see 'klaviyo-coupons coupons --help')";

const ROUTES: Route[] = [
  {
    label: "provider getClient",
    accepts: ["env", "config"],
    async open(env, config) {
      configure({ config: { get: (key) => config[key] } }, env);
      return getClient();
    },
  },
  {
    label: "resolveAvailabilityClient",
    accepts: ["env"],
    open: async (env) => resolveAvailabilityClient(undefined, env),
  },
  {
    label: "clientFromStackConfig",
    accepts: ["env", "config"],
    async open(env, config) {
      pulumi.runtime.setAllConfig(config);
      return clientFromStackConfig(env);
    },
  },
  {
    label: "klaviyo-coupons",
    accepts: ["env", "flag"],
    async open(env, _config, flags) {
      const io = { env, stdout: { write: () => true }, stderr: { write: () => true } };
      try {
        return connect("coupons", flags, io, []).client;
      } catch (e) {
        // The usage suffix is the command's framing, not part of the answer.
        throw new Error((e as Error).message.replace(HELP_HINT, ""));
      }
    },
  },
];

describe("settings routes", () => {
  let stub: Stub;
  let dir: string;
  let savedConfig: Record<string, string>;

  before(async () => {
    stub = await startStub(() => ({ status: 200, body: { data: [], links: {} } }));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "klaviyo-routes-"));
    savedConfig = pulumi.runtime.allConfig();
  });

  after(async () => {
    await stub.close();
    await fs.rm(dir, { recursive: true, force: true });
    pulumi.runtime.setAllConfig(savedConfig);
    configure({ config: { get: () => undefined } });
  });

  /** Where the input is written for a route, and the name a message should use for it. */
  async function place(input: Input) {
    const env: Record<string, string> = { KLAVIYO_API_KEY: KEY, KLAVIYO_BASE_URL: stub.url };
    const config: Record<string, string> = {};
    const flags: Record<string, string> = {};
    const keys = settingKeys(input.name);
    if (input.where === "env") {
      env[keys.env] = input.value;
      return { env, config, flags, source: keys.env };
    }
    if (input.where === "config") {
      config[keys.config] = input.value;
      return { env, config, flags, source: keys.config };
    }
    if (input.name === "baseUrl") {
      flags["base-url"] = input.value;
      return { env, config, flags, source: "--base-url" };
    }
    const file = path.join(dir, "key");
    await fs.writeFile(file, input.value);
    flags["api-key-file"] = file;
    return { env, config, flags, source: `--api-key-file ${file}` };
  }

  /** The request the route's client sends, or its message with the source replaced by `<source>`. */
  async function answer(route: Route, input: Input): Promise<string> {
    const { env, config, flags, source } = await place(input);
    let client: KlaviyoClient;
    try {
      client = await route.open(env, config, flags);
    } catch (e) {
      const message = (e as Error).message;
      assert.ok(!message.includes(SECRET), `${route.label} echoed a secret: ${message}`);
      return message.split(source).join("<source>");
    }
    const seen = stub.requests.length;
    for await (const page of client.getCoupons({})) assert.deepEqual(page.data, []);
    const { url, headers } = stub.requests[seen];
    return `GET ${url.split("?")[0]} revision ${headers.revision} ${headers.authorization}`;
  }

  /** Runs every route that reads `where` and checks each answers `expected`. */
  async function allAnswer(name: SettingName, value: string, expected: string): Promise<void> {
    for (const where of ["env", "config", "flag"] as const) {
      if (where === "flag" && name === "revision") continue;
      for (const route of ROUTES.filter((r) => r.accepts.includes(where))) {
        assert.equal(
          await answer(route, { name, value, where }),
          expected,
          `${route.label}, ${name} in ${where}`,
        );
      }
    }
  }

  const ok = (pathname: string, revision = "2026-07-15", key = KEY) =>
    `GET ${pathname} revision ${revision} Klaviyo-API-Key ${key}`;

  it("collapse trailing slashes of the base URL to one (the CLI sent //api/...)", async () => {
    await allAnswer("baseUrl", `${stub.url}/klaviyo//`, ok("/klaviyo/api/coupons"));
  });

  it("refuse an empty query or fragment in the base URL (the CLI accepted them)", async () => {
    await allAnswer("baseUrl", `${stub.url}/?`, "<source> must not contain a query string (?...)");
    await allAnswer("baseUrl", `${stub.url}/#`, "<source> must not contain a fragment (#...)");
  });

  it("never echo a base URL's query, user info or unparsable value (the CLI quoted them whole)", async () => {
    await allAnswer(
      "baseUrl",
      `http://example.com/?api_key=${SECRET}`,
      "<source> must not contain a query string (?...)",
    );
    await allAnswer(
      "baseUrl",
      `https://user:${SECRET}@example.com`,
      "<source> must not contain a user name or password (user:password@)",
    );
    await allAnswer(
      "baseUrl",
      SECRET,
      "<source> is not a valid URL (expected an origin such as https://a.klaviyo.com)",
    );
  });

  it("refuse plain http and other schemes with one message (each route had its own)", async () => {
    await allAnswer("baseUrl", "http://example.com", `<source> "http://example.com" ${NOT_HTTPS}`);
    await allAnswer("baseUrl", "ftp://127.0.0.1/", `<source> "ftp://127.0.0.1" ${NOT_HTTPS}`);
  });

  it("trim whitespace around the base URL and revision (the CLI refused a revision ending in a newline)", async () => {
    await allAnswer("baseUrl", `  ${stub.url}/padded  `, ok("/padded/api/coupons"));
    await allAnswer("revision", "2025-10-15\n", ok("/api/coupons", "2025-10-15"));
    await allAnswer("revision", "   ", ok("/api/coupons"));
  });

  it("quote a malformed revision the same way (the CLI worded it differently)", async () => {
    await allAnswer("revision", "latest", '<source> "latest" must look like YYYY-MM-DD or YYYY-MM-DD.suffix');
  });

  it("name where a key that cannot be sent came from (the CLI blamed the client's apiKey option)", async () => {
    const problem =
      "<source> contains whitespace, control or non-ASCII characters; set it to the private key alone";
    await allAnswer("apiKey", "pk_two words", problem);
    await allAnswer("apiKey", "pk_accent_\u00e9", problem);
    await allAnswer("apiKey", ` ${KEY}_padded \n`, ok("/api/coupons", "2026-07-15", `${KEY}_padded`));
  });

  it("report a missing key with one message, each route offering its own ways to set one", async () => {
    const hints = ["stack", "library", "stack", "cli"] as const;
    for (const [i, route] of ROUTES.entries()) {
      pulumi.runtime.setAllConfig({});
      await assert.rejects(route.open({ KLAVIYO_BASE_URL: stub.url }, {}, {}), {
        message: missingApiKeyMessage(hints[i]),
      });
    }
  });
});
