/**
 * Argument parsing shared by the subcommands (Node's `util.parseArgs`), connection options and the
 * Klaviyo client they produce.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import {
  createKlaviyoClient,
  DEFAULT_BASE_URL,
  DEFAULT_REVISION,
  type KlaviyoClient,
} from "../provider/client";
import { parseInstant, parseStatus, type NormalizedAvailabilityQuery } from "../provider/availabilityQuery";
import { normalizeAvailabilityQuery } from "../provider/availabilityQuery";
import { cliError, EXIT, usageError, type CliIo } from "./cliIo";

/** Option definitions in `util.parseArgs` form. */
export type OptionSpecs = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Options every subcommand accepts. */
export const CONNECTION_OPTIONS: OptionSpecs = {
  "api-key-file": { type: "string" },
  "base-url": { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** Help lines for {@link CONNECTION_OPTIONS}. */
export const CONNECTION_HELP = `Connection:
  --api-key-file PATH   Read the Klaviyo private API key from PATH (surrounding whitespace is trimmed).
                        Default: the KLAVIYO_API_KEY environment variable.
  --base-url URL        API origin (default: KLAVIYO_BASE_URL, else ${DEFAULT_BASE_URL}).
                        Plain http is accepted only for loopback hosts such as the emulator.
  -h, --help            Show this help.

Environment: KLAVIYO_API_KEY, KLAVIYO_BASE_URL, KLAVIYO_REVISION (default ${DEFAULT_REVISION}).`;

/** Filter options of `availability` and `codes`. */
export const FILTER_OPTIONS: OptionSpecs = {
  coupon: { type: "string" },
  status: { type: "string" },
  "expires-after": { type: "string" },
  "expires-before": { type: "string" },
};

/** Help lines for {@link FILTER_OPTIONS}. */
export const FILTER_HELP = `  --coupon ID             The coupon (its external_id). Required.
  --status STATUS         Only codes with this status: UNASSIGNED, PROCESSING, ASSIGNED_TO_PROFILE,
                          USED, VERSION_NOT_ACTIVE or DELETING (case-insensitive).
  --expires-after TIME    Only codes expiring at or after TIME (inclusive).
  --expires-before TIME   Only codes expiring before TIME (exclusive).
                          TIME is ISO 8601 with offset (2026-06-01T00:00:00Z) or a date (2026-06-01 = midnight UTC).
                          Codes without an expiry never match an expiry bound.`;

/** True when `--help`/`-h` appears before a `--` terminator: help wins over every other problem. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * Parses a subcommand's arguments strictly (unknown options and stray arguments are usage errors).
 *
 * @param command - Subcommand name for messages.
 * @param argv - Arguments after the subcommand.
 * @param options - Accepted options.
 * @throws A usage error (exit 2).
 */
export function parseCommand(
  command: string,
  argv: string[],
  options: OptionSpecs,
): Record<string, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return values as Record<string, string | boolean | undefined>;
  } catch (e) {
    // parseArgs messages are one line and name the offending argument.
    throw usageError(command, (e as Error).message);
  }
}

/**
 * Reads a string option, treating an empty value as missing.
 *
 * @param values - Parsed values.
 * @param name - Option name without dashes.
 */
export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * Builds the availability query from `--coupon`, `--status`, `--expires-after`, `--expires-before`.
 *
 * @param command - Subcommand name for messages.
 * @param values - Parsed values.
 * @param includeCodes - Whether the codes are wanted.
 * @throws A usage error naming the flag.
 */
export function queryFromOptions(
  command: string,
  values: Record<string, unknown>,
  includeCodes: boolean,
): NormalizedAvailabilityQuery {
  const couponId = stringOption(values, "coupon");
  if (couponId === undefined) throw usageError(command, "--coupon ID is required");
  try {
    const status = stringOption(values, "status");
    const after = stringOption(values, "expires-after");
    const before = stringOption(values, "expires-before");
    const expiresAfter = after === undefined ? undefined : parseInstant("--expires-after", after);
    const expiresBefore = before === undefined ? undefined : parseInstant("--expires-before", before);
    if (expiresAfter && expiresBefore && Date.parse(expiresAfter) >= Date.parse(expiresBefore)) {
      throw new TypeError("--expires-after must be earlier than --expires-before");
    }
    return normalizeAvailabilityQuery({
      couponId,
      status: status === undefined ? undefined : parseStatus(status, "--status"),
      expiresAfter,
      expiresBefore,
      includeCodes,
    });
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

const NO_KEY =
  "no Klaviyo API key: set the KLAVIYO_API_KEY environment variable or pass --api-key-file PATH " +
  "(a file containing the private key)";

/**
 * Resolves the key (`--api-key-file`, else `KLAVIYO_API_KEY`), base URL (`--base-url`, else
 * `KLAVIYO_BASE_URL`) and revision (`KLAVIYO_REVISION`), and builds the client.
 *
 * There is deliberately no `--api-key` flag: command lines end up in shell history and `ps`.
 *
 * @param command - Subcommand name for messages.
 * @param values - Parsed values.
 * @param io - Environment and working directory.
 * @param secrets - Receives the key as soon as it is known, so even a failure message can be redacted.
 * @throws A usage error (exit 2) for a missing or unreadable key or an invalid base URL.
 */
export function connect(
  command: string,
  values: Record<string, unknown>,
  io: CliIo,
  secrets: string[],
): CliConnection {
  const keyFile = stringOption(values, "api-key-file");
  let apiKey: string;
  if (keyFile !== undefined) {
    const file = path.resolve(io.cwd ?? process.cwd(), keyFile);
    try {
      apiKey = fs.readFileSync(file, "utf8").trim();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
      throw cliError(EXIT.usage, `cannot read --api-key-file ${keyFile} (${code})`);
    }
    secrets.push(apiKey);
    if (apiKey === "") throw cliError(EXIT.usage, `--api-key-file ${keyFile} is empty; ${NO_KEY}`);
  } else {
    apiKey = (io.env.KLAVIYO_API_KEY ?? "").trim();
    secrets.push(apiKey);
    if (apiKey === "") throw cliError(EXIT.usage, NO_KEY);
  }
  const baseUrl = stringOption(values, "base-url") ?? (io.env.KLAVIYO_BASE_URL || undefined);
  const revision = io.env.KLAVIYO_REVISION || undefined;
  try {
    return { client: createKlaviyoClient({ apiKey, baseUrl, revision }), apiKey };
  } catch (e) {
    // Option errors never contain the key; they say which setting is wrong.
    throw usageError(command, (e as Error).message);
  }
}
