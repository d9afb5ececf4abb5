/**
 * Options shared by the subcommands (connection and filters), and the Klaviyo client they produce.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import {
  createKlaviyoClient,
  DEFAULT_BASE_URL,
  DEFAULT_REVISION,
  type KlaviyoClient,
} from "../provider/client";
import { DEFAULT_MAX_ATTEMPTS } from "../provider/client/options";
import { resolveClientSettings, type ExplicitSetting } from "../provider/settings";
import {
  COUPON_CODE_STATUSES,
  normalizeAvailabilityQuery,
  parseInstant,
  parseStatus,
  type NormalizedAvailabilityQuery,
} from "../provider/availability/query";
import { invalidValue, stringOption, type OptionSpecs } from "./cliArgs";
import { cliError, EXIT, retryNotices, usageError, type CliIo } from "./cliIo";

/** Options every subcommand accepts. */
export const CONNECTION_OPTIONS: OptionSpecs = {
  "api-key-file": { type: "string", expects: "the path of a file holding the API key" },
  "base-url": { type: "string", expects: "an absolute URL" },
  help: { type: "boolean", short: "h" },
};

/** Help lines for {@link CONNECTION_OPTIONS}. */
export const CONNECTION_HELP = `Connection:
  --api-key-file PATH   Read the Klaviyo private API key from PATH (surrounding whitespace is trimmed).
                        Default: the KLAVIYO_API_KEY environment variable.
  --base-url URL        API origin (default: KLAVIYO_BASE_URL, else ${DEFAULT_BASE_URL}).
                        Plain http is accepted only for loopback hosts such as the emulator.
  -h, --help            Show this help.

Environment: KLAVIYO_API_KEY, KLAVIYO_BASE_URL, KLAVIYO_REVISION (default ${DEFAULT_REVISION}).
Network errors, 5xx and 429 answers are retried; each retry is announced with one line on stderr.`;

const LAST_STATUS = COUPON_CODE_STATUSES[COUPON_CODE_STATUSES.length - 1];
const STATUS_EXPECTED = `one of ${COUPON_CODE_STATUSES.slice(0, -1).join(", ")} or ${LAST_STATUS}`;
const TIME_EXPECTED =
  "an RFC 3339 date-time with seconds and Z or an offset (2026-06-01T00:00:00Z) or a date (2026-06-01)";

/** Filter options of `availability` and `codes`. */
export const FILTER_OPTIONS: OptionSpecs = {
  coupon: { type: "string", expects: "a coupon ID" },
  status: { type: "string", expects: STATUS_EXPECTED },
  "expires-after": { type: "string", expects: TIME_EXPECTED },
  "expires-before": { type: "string", expects: TIME_EXPECTED },
};

/** Help lines for {@link FILTER_OPTIONS}. */
export const FILTER_HELP = `  --coupon ID             The coupon (its external_id). Required.
  --status STATUS         Only codes with this status: UNASSIGNED, PROCESSING, ASSIGNED_TO_PROFILE,
                          USED, VERSION_NOT_ACTIVE or DELETING (case-insensitive).
  --expires-after TIME    Only codes expiring at or after TIME (inclusive).
  --expires-before TIME   Only codes expiring before TIME (exclusive).
                          TIME is RFC 3339 with seconds and Z or an offset (2026-06-01T00:00:00Z), or a date (2026-06-01 = midnight UTC).
                          Codes without an expiry never match an expiry bound.`;

function statusOption(command: string, values: Record<string, unknown>) {
  const raw = stringOption(values, "status");
  if (raw === undefined) return undefined;
  try {
    return parseStatus(raw, "--status");
  } catch {
    throw invalidValue(command, "--status", STATUS_EXPECTED, raw);
  }
}

function instantOption(command: string, values: Record<string, unknown>, name: string) {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  try {
    return parseInstant(`--${name}`, raw);
  } catch {
    throw invalidValue(command, `--${name}`, TIME_EXPECTED, raw);
  }
}

/**
 * Builds the availability query from `--coupon`, `--status`, `--expires-after`, `--expires-before`.
 *
 * @param command - Subcommand name for messages.
 * @param values - Parsed values.
 * @param includeCodes - Whether the codes are wanted.
 * @throws A usage error naming the flag, the value and what it must be.
 */
export function queryFromOptions(
  command: string,
  values: Record<string, unknown>,
  includeCodes: boolean,
): NormalizedAvailabilityQuery {
  const couponId = stringOption(values, "coupon");
  if (couponId === undefined) throw usageError(command, "--coupon ID is required");
  const status = statusOption(command, values);
  const expiresAfter = instantOption(command, values, "expires-after");
  const expiresBefore = instantOption(command, values, "expires-before");
  if (expiresAfter && expiresBefore && Date.parse(expiresAfter) >= Date.parse(expiresBefore)) {
    throw usageError(
      command,
      `--expires-after (${expiresAfter}) must be earlier than --expires-before (${expiresBefore})`,
    );
  }
  try {
    return normalizeAvailabilityQuery({ couponId, status, expiresAfter, expiresBefore, includeCodes });
  } catch (e) {
    throw usageError(command, (e as Error).message);
  }
}

/** A client plus the secret to keep out of every message. */
export interface CliConnection {
  /** Klaviyo client. */
  client: KlaviyoClient;
  /** The API key in use (for redaction only). */
  apiKey: string;
}

// Reading the file is the command's business; what it holds is checked with every other setting.
function apiKeyFile(values: Record<string, unknown>, io: CliIo): ExplicitSetting | undefined {
  const keyFile = stringOption(values, "api-key-file");
  if (keyFile === undefined) return undefined;
  try {
    const value = fs.readFileSync(path.resolve(io.cwd ?? process.cwd(), keyFile), "utf8").trim();
    return { value, source: `--api-key-file ${keyFile}` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw cliError(EXIT.usage, `cannot read --api-key-file ${keyFile} (${code})`);
  }
}

/**
 * Resolves the key (`--api-key-file`, else `KLAVIYO_API_KEY`), base URL (`--base-url`, else
 * `KLAVIYO_BASE_URL`) and revision (`KLAVIYO_REVISION`) through `provider/settings.ts`, as the provider
 * does, and builds the client. The client announces each retry on stderr (see {@link retryNotices})
 * instead of retrying silently.
 *
 * There is deliberately no `--api-key` flag: command lines end up in shell history and `ps`.
 *
 * @param command - Subcommand name for messages.
 * @param values - Parsed values.
 * @param io - Environment, working directory, and stderr for retry notices.
 * @param secrets - Receives the key as soon as it is known, so even a failure message can be redacted.
 * @throws A usage error (exit 2) for a missing, unreadable or invalid key or an invalid base URL or
 *   revision, naming the flag or variable it came from.
 */
export function connect(
  command: string,
  values: Record<string, unknown>,
  io: CliIo,
  secrets: string[],
): CliConnection {
  const keyFile = apiKeyFile(values, io);
  // Both candidates, before anything is checked, so even a failure message is redacted.
  for (const key of [keyFile?.value, io.env.KLAVIYO_API_KEY?.trim()]) if (key) secrets.push(key);
  const baseUrl = stringOption(values, "base-url");
  const settings = resolveClientSettings({
    explicit: {
      apiKey: keyFile,
      baseUrl: baseUrl === undefined ? undefined : { value: baseUrl, source: "--base-url" },
    },
    env: io.env,
    keyHint: "cli",
  });
  if (!settings.ok) {
    // The help lists the options and variables for an origin or revision; it cannot fix a key.
    throw settings.name === "apiKey"
      ? cliError(EXIT.usage, settings.message)
      : usageError(command, settings.message);
  }
  const onWait = retryNotices(io.stderr, secrets, DEFAULT_MAX_ATTEMPTS);
  return { client: createKlaviyoClient({ ...settings.options, onWait }), apiKey: settings.options.apiKey };
}
