/**
 * Provider configuration, read once per provider host in `configure`.
 *
 * Credentials are never captured in serialized providers: they come from the stack
 * configuration (`klaviyo:apiKey`, normally a secret) or the `KLAVIYO_API_KEY` environment
 * variable, read when the host configures the provider. Precedence for every setting: stack
 * config, then environment, then default.
 */
import { createKlaviyoClient, DEFAULT_BASE_URL, DEFAULT_REVISION, type KlaviyoClient } from "./client";
import { echo } from "./values";

/** The settings the resources need to reach Klaviyo. */
export interface ProviderSettings {
  apiKey: string | undefined;
  baseUrl: string;
  revision: string;
}

/** The part of Pulumi's configure request this module reads. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** What a handler reports when no API key was configured: both ways to supply one. */
export const MISSING_API_KEY_MESSAGE =
  "No Klaviyo API key: set it with `pulumi config set --secret klaviyo:apiKey <key>` " +
  "or the KLAVIYO_API_KEY environment variable.";

// The host may dispatch a handler while an async configure is still running, so configure
// assigns synchronously and handlers wait on this promise (resolved by the first configure).
let configured = false;
let settings: ProviderSettings | undefined;
// A bad setting is reported by every handler that needs Klaviyo rather than by configure itself:
// the host configures only once per process, so a throwing configure would leave later calls
// running with no settings at all (and a misleading "no key" message).
let configError: Error | undefined;
let client: KlaviyoClient | undefined;
let markReady: (() => void) | undefined;
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]"];

/** True for hostnames that never leave the machine, where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Validates a base URL: https anywhere, plain http only on loopback addresses (the emulator), no
 * user name or password, query string or fragment. Returns the URL without a trailing slash, or
 * throws an error naming `setting`. Errors quote at most the URL's origin and path, cut to 64
 * characters: user info, query and fragment may hold credentials, and a value that does not parse
 * as a URL may be a pasted key, so those are never echoed; the error names the part not allowed.
 */
export function validateBaseUrl(raw: string, setting = "klaviyo:baseUrl"): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${setting} is not a valid URL (expected an origin such as ${DEFAULT_BASE_URL})`);
  }
  const parts = [
    [url.username || url.password, "a user name or password (user:password@)"],
    [raw.includes("?"), "a query string (?...)"],
    [raw.includes("#"), "a fragment (#...)"],
  ] as const;
  const banned = parts.filter(([present]) => present).map(([, what]) => what);
  if (banned.length > 0) throw new Error(`${setting} must not contain ${banned.join(" or ")}`);
  const base = url.origin + url.pathname.replace(/\/+$/, "");
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${setting} must use https, not ${echo(url.protocol)}`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `${setting} ${echo(base)} must use https (plain http is allowed only for loopback addresses)`,
    );
  }
  return base;
}

const REVISION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9]+)?$/;

/** A setting's value and where it came from, so messages can name the place to fix. */
interface Sourced {
  value: string;
  source: string;
}

function configValue(config: ConfigSource, key: string): string | undefined {
  let value: unknown;
  try {
    value = config.get(key);
  } catch {
    // The host's config object throws when no Configure call ever arrived: treat as unset.
    return undefined;
  }
  return typeof value === "string" ? value : undefined;
}

function pick(
  config: ConfigSource,
  key: string,
  env: NodeJS.ProcessEnv,
  envName: string,
): Sourced | undefined {
  // Surrounding whitespace (a pasted key, a trailing newline) is never meaningful here.
  const fromConfig = configValue(config, key)?.trim();
  if (fromConfig) return { value: fromConfig, source: key };
  const fromEnv = env[envName]?.trim();
  if (fromEnv) return { value: fromEnv, source: envName };
  return undefined;
}

/** A key goes into an HTTP header: Node rejects whitespace, control and non-ASCII characters there. */
function isHeaderSafe(value: string): boolean {
  return [...value].every((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f);
}

/**
 * Resolves settings from stack config first, then the environment, then defaults.
 * Throws an error naming the offending setting (never echoing the key) when one is invalid.
 */
export function resolveSettings(
  config: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const apiKey = pick(config, "klaviyo:apiKey", env, "KLAVIYO_API_KEY");
  if (apiKey && !isHeaderSafe(apiKey.value)) {
    throw new Error(
      `${apiKey.source} contains whitespace, control or non-ASCII characters; set it to the private key alone`,
    );
  }
  const baseUrl = pick(config, "klaviyo:baseUrl", env, "KLAVIYO_BASE_URL");
  const revision = pick(config, "klaviyo:revision", env, "KLAVIYO_REVISION");
  if (revision && !REVISION_PATTERN.test(revision.value)) {
    throw new Error(
      `${revision.source} ${echo(revision.value)} must look like YYYY-MM-DD or YYYY-MM-DD.suffix`,
    );
  }
  return {
    apiKey: apiKey?.value,
    baseUrl: baseUrl ? validateBaseUrl(baseUrl.value, baseUrl.source) : DEFAULT_BASE_URL,
    revision: revision?.value ?? DEFAULT_REVISION,
  };
}

/**
 * Applies the host's configure request. Synchronous on purpose (see `ready`), and never throws:
 * an invalid setting is reported by each handler that needs Klaviyo.
 */
export function configure(req: { config: ConfigSource }, env: NodeJS.ProcessEnv = process.env): void {
  client = undefined;
  try {
    settings = resolveSettings(req.config, env);
    configError = undefined;
  } catch (err) {
    settings = undefined;
    configError = err instanceof Error ? err : new Error(String(err));
  }
  configured = true;
  markReady?.();
}

const CONFIGURE_WAIT_MS = 2_000;

async function waitForConfigure(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CONFIGURE_WAIT_MS);
    timer.unref();
  });
  await Promise.race([ready, timeout]);
  clearTimeout(timer);
}

/**
 * Returns the Klaviyo client for the configured account, waiting for `configure` if a
 * handler was dispatched before it ran. Throws a message naming both ways to supply a key.
 */
export async function getClient(): Promise<KlaviyoClient> {
  if (!configured) await waitForConfigure();
  if (!configured) {
    // Used outside a Pulumi host (for example from the library API): fall back to the environment.
    configure({ config: { get: () => undefined } });
  }
  if (configError) throw new Error(configError.message);
  if (!settings?.apiKey) throw new Error(MISSING_API_KEY_MESSAGE);
  client ??= createKlaviyoClient({
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    revision: settings.revision,
  });
  return client;
}

/**
 * The secret that keys generated codes (`CodeSource` in `provider/batch/codes.ts`): the account's private API
 * key, which can list every code anyway. Only HMAC outputs derived from it ever leave this process.
 * Waits for `configure` and fails like {@link getClient} when no key is configured.
 */
export async function getCodeSecret(): Promise<string> {
  await getClient();
  if (!settings?.apiKey) throw new Error(MISSING_API_KEY_MESSAGE);
  return settings.apiKey;
}
