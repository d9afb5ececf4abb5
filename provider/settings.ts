/**
 * The one route from where connection settings are written to validated client options, shared by the
 * provider (`runtime.ts`), the library and Pulumi forms of the availability query, and the CLI.
 *
 * Precedence for each setting: an explicit value (a CLI flag), then stack config (`klaviyo:apiKey`,
 * `klaviyo:baseUrl`, `klaviyo:revision`), then the environment (`KLAVIYO_API_KEY`, `KLAVIYO_BASE_URL`,
 * `KLAVIYO_REVISION`), then the default. Stack config and environment values are trimmed, and a blank
 * one counts as unset; an explicit value is taken as given. Each value is checked once, by the checks in
 * `client/options.ts` (the same ones `createKlaviyoClient` applies to options it is given directly), and
 * a failure names the setting as the user wrote it. Nothing here imports `@pulumi/pulumi`: the CLI uses it.
 *
 * @packageDocumentation
 */
import { DEFAULT_BASE_URL, DEFAULT_REVISION } from "./client";
import { checkApiKey, checkBaseUrl, checkRevision, type SettingCheck } from "./client/options";
import { echo } from "./values";

/** The connection settings. */
export type SettingName = "apiKey" | "baseUrl" | "revision";

/** The part of a stack configuration this module reads (Pulumi's configure request, or `pulumi.Config`). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** A value given explicitly, with the name a message should use for it (`--base-url`). */
export interface ExplicitSetting {
  value: string;
  source: string;
}

/** How the caller tells its users to supply a key, for the message when none is found. */
export type ApiKeyHint = "stack" | "library" | "cli";

/** Everywhere one caller reads its settings from; any source may be absent. */
export interface SettingSources {
  /** Explicit values (CLI flags, a key file), the highest precedence. */
  explicit?: Partial<Record<SettingName, ExplicitSetting>>;
  /** Stack config, read with namespaced keys (`klaviyo:baseUrl`). */
  config?: ConfigSource;
  /** Environment (`KLAVIYO_*`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Which "No Klaviyo API key" hint a missing key gets. */
  keyHint: ApiKeyHint;
}

/** Validated options for `createKlaviyoClient`. */
export interface ClientSettings {
  apiKey: string;
  /** Origin and path, ending in exactly one `/`. */
  baseUrl: string;
  revision: string;
}

/** A setting that cannot be used. The message names it, quotes only what is safe, and never holds the key. */
export interface SettingsFailure {
  ok: false;
  /** The setting at fault. */
  name: SettingName;
  /** Where its value came from (`klaviyo:baseUrl`, `KLAVIYO_BASE_URL`, `--base-url`); absent when no key was found. */
  source?: string;
  /** One line for the user. */
  message: string;
}

/** What {@link resolveClientSettings} found. */
export type SettingsResult = { ok: true; options: ClientSettings } | SettingsFailure;

/** The stack config key and the environment variable of a setting. */
export function settingKeys(name: SettingName): { config: string; env: string } {
  switch (name) {
    case "apiKey":
      return { config: "klaviyo:apiKey", env: "KLAVIYO_API_KEY" };
    case "baseUrl":
      return { config: "klaviyo:baseUrl", env: "KLAVIYO_BASE_URL" };
    case "revision":
      return { config: "klaviyo:revision", env: "KLAVIYO_REVISION" };
  }
}

function apiKeyHint(hint: ApiKeyHint): string {
  const { config, env } = settingKeys("apiKey");
  switch (hint) {
    case "stack":
      return `set it with \`pulumi config set --secret ${config} <key>\` or the ${env} environment variable`;
    case "library":
      return `pass a client or client options, or set ${env}`;
    case "cli":
      return `set the ${env} environment variable or pass --api-key-file PATH (a file containing the private key)`;
  }
}

/** The one "no key" message; `hint` picks the ways to supply a key that the caller offers. */
export function missingApiKeyMessage(hint: ApiKeyHint): string {
  return `No Klaviyo API key: ${apiKeyHint(hint)}.`;
}

/** What the provider reports when no API key was configured: both ways to supply one. */
export const MISSING_API_KEY_MESSAGE = missingApiKeyMessage("stack");

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

function pick(name: SettingName, sources: SettingSources): ExplicitSetting | undefined {
  const explicit = sources.explicit?.[name];
  if (explicit !== undefined) return explicit;
  const keys = settingKeys(name);
  // Surrounding whitespace (a pasted key, a trailing newline) is never meaningful in these.
  const fromConfig = sources.config && configValue(sources.config, keys.config)?.trim();
  if (fromConfig) return { value: fromConfig, source: keys.config };
  const fromEnv = sources.env?.[keys.env]?.trim();
  if (fromEnv) return { value: fromEnv, source: keys.env };
  return undefined;
}

type Checked = { ok: true; value: string } | SettingsFailure;

function checkValue(
  name: SettingName,
  picked: ExplicitSetting,
  check: (raw: unknown) => SettingCheck,
): Checked {
  const verdict = check(picked.value);
  if (verdict.ok) return verdict;
  const quoted = verdict.quoted === undefined ? "" : ` ${echo(verdict.quoted)}`;
  return { ok: false, name, source: picked.source, message: `${picked.source}${quoted} ${verdict.problem}` };
}

/**
 * Resolves the API key, base URL and revision from the caller's sources (see the module comment for the
 * precedence). Never throws: a bad value, or a missing key, is returned as a {@link SettingsFailure}.
 * Invalid values are reported before a missing key, so fixing the key does not reveal another error.
 */
export function resolveClientSettings(sources: SettingSources): SettingsResult {
  const key = pick("apiKey", sources);
  const apiKey = key && checkValue("apiKey", key, checkApiKey);
  if (apiKey && !apiKey.ok) return apiKey;
  const url = pick("baseUrl", sources) ?? { value: DEFAULT_BASE_URL, source: "default" };
  const baseUrl = checkValue("baseUrl", url, checkBaseUrl);
  if (!baseUrl.ok) return baseUrl;
  const rev = pick("revision", sources) ?? { value: DEFAULT_REVISION, source: "default" };
  const revision = checkValue("revision", rev, checkRevision);
  if (!revision.ok) return revision;
  if (!apiKey) return { ok: false, name: "apiKey", message: missingApiKeyMessage(sources.keyHint) };
  return { ok: true, options: { apiKey: apiKey.value, baseUrl: baseUrl.value, revision: revision.value } };
}
