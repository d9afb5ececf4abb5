/**
 * Provider configuration, read once per provider host in `configure`.
 *
 * Credentials are never captured in serialized providers: they come from the stack
 * configuration (`klaviyo:apiKey`, normally a secret) or the `KLAVIYO_API_KEY` environment
 * variable, read when the host configures the provider. Precedence for every setting: stack
 * config, then environment, then default; `settings.ts` reads and checks them.
 */
import { createKlaviyoClient, type KlaviyoClient } from "./client";
import {
  MISSING_API_KEY_MESSAGE,
  resolveClientSettings,
  type ClientSettings,
  type ConfigSource,
} from "./settings";

export { MISSING_API_KEY_MESSAGE, type ConfigSource } from "./settings";

// The host may dispatch a handler while an async configure is still running, so configure
// assigns synchronously and handlers wait on this promise (resolved by the first configure).
let configured = false;
let settings: ClientSettings | undefined;
// A bad setting is reported by every handler that needs Klaviyo rather than by configure itself:
// the host configures only once per process, so a throwing configure would leave later calls
// running with no settings at all (and a misleading "no key" message). A missing key is reported
// the same way.
let configError: Error | undefined;
let client: KlaviyoClient | undefined;
let markReady: (() => void) | undefined;
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});

/**
 * Applies the host's configure request. Synchronous on purpose (see `ready`), and never throws:
 * an invalid setting is reported by each handler that needs Klaviyo.
 */
export function configure(req: { config: ConfigSource }, env: NodeJS.ProcessEnv = process.env): void {
  client = undefined;
  const result = resolveClientSettings({ config: req.config, env, keyHint: "stack" });
  settings = result.ok ? result.options : undefined;
  configError = result.ok ? undefined : new Error(result.message);
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
  if (!settings) throw new Error(MISSING_API_KEY_MESSAGE);
  client ??= createKlaviyoClient(settings);
  return client;
}

/**
 * The secret that keys generated codes (`CodeSource` in `provider/batch/codes.ts`): the account's private API
 * key, which can list every code anyway. Only HMAC outputs derived from it ever leave this process.
 * Waits for `configure` and fails like {@link getClient} when no key is configured.
 */
export async function getCodeSecret(): Promise<string> {
  await getClient();
  if (!settings) throw new Error(MISSING_API_KEY_MESSAGE);
  return settings.apiKey;
}

/**
 * {@link getCodeSecret}, or null when no usable key is configured: what `check` keys fingerprints and
 * tags with, leaving them out (never failing) in a preview without credentials.
 */
export async function codeSecretIfConfigured(): Promise<string | null> {
  try {
    return await getCodeSecret();
  } catch {
    return null;
  }
}
