/**
 * Provider configuration, read once per provider host in `configure`.
 *
 * Credentials are never captured in serialized providers: they come from the stack
 * configuration (`klaviyo:apiKey`, normally a secret) or the `KLAVIYO_API_KEY` environment
 * variable, read when the host configures the provider.
 */
import { createKlaviyoClient, DEFAULT_BASE_URL, DEFAULT_REVISION, type KlaviyoClient } from "./client";

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

// The host may dispatch a handler while an async configure is still running, so configure
// assigns synchronously and handlers wait on this promise (resolved by the first configure).
let settings: ProviderSettings | undefined;
let client: KlaviyoClient | undefined;
let markReady: (() => void) | undefined;
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1", "[::1]"];

function firstDefined(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

/** True for hostnames that never leave the machine, where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Validates a base URL: https anywhere, plain http only on loopback addresses (the emulator).
 * Returns the URL without a trailing slash, or throws an error naming the setting.
 */
export function validateBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`klaviyo:baseUrl "${raw}" is not a valid URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new Error(
      `klaviyo:baseUrl "${raw}" must use https (plain http is allowed only for loopback addresses)`,
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Resolves settings from stack config first, then the environment, then defaults. */
export function resolveSettings(
  config: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const baseUrl = firstDefined(config.get("klaviyo:baseUrl"), env.KLAVIYO_BASE_URL) ?? DEFAULT_BASE_URL;
  return {
    apiKey: firstDefined(config.get("klaviyo:apiKey"), env.KLAVIYO_API_KEY),
    baseUrl: validateBaseUrl(baseUrl),
    revision: firstDefined(config.get("klaviyo:revision"), env.KLAVIYO_REVISION) ?? DEFAULT_REVISION,
  };
}

/** Applies the host's configure request. Synchronous on purpose (see `ready`). */
export function configure(req: { config: ConfigSource }): void {
  settings = resolveSettings(req.config);
  client = undefined;
  markReady?.();
}

const CONFIGURE_WAIT_MS = 2_000;

/**
 * Returns the Klaviyo client for the configured account, waiting for `configure` if a
 * handler was dispatched before it ran. Throws a message naming both ways to supply a key.
 */
export async function getClient(): Promise<KlaviyoClient> {
  if (!settings) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CONFIGURE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([ready, timeout]);
    clearTimeout(timer);
  }
  if (!settings) {
    // Used outside a Pulumi host (for example from the library API): fall back to the environment.
    settings = resolveSettings({ get: () => undefined });
  }
  if (!settings.apiKey) {
    throw new Error(
      "No Klaviyo API key: set it with `pulumi config set --secret klaviyo:apiKey <key>` " +
        "or the KLAVIYO_API_KEY environment variable.",
    );
  }
  client ??= createKlaviyoClient({
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    revision: settings.revision,
  });
  return client;
}
