/**
 * Strict argument parsing for the subcommands, on top of the tokens of Node's `util.parseArgs`, so every
 * mistake is reported in the command's own words: the option, the value given and what was expected.
 *
 * @packageDocumentation
 */
import { parseArgs } from "util";
import { usageError } from "./cliIo";

/** One option of a subcommand. */
export interface OptionSpec {
  /** A flag (`boolean`) or an option taking a value (`string`). */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /**
   * For options taking a value: what the value must be, completing "`--name` must be ...", e.g.
   * `a whole number >= 0`. Used in the messages about a missing or empty value.
   */
  expects?: string;
}

/** Option definitions of a subcommand, keyed by long name. */
export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed values: `true` for flags given, the text for options with a value, absent otherwise. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What {@link wholeNumberOption} expects, for option specs and messages. */
export const WHOLE_NUMBER = "a whole number >= 0";

/** True when `--help`/`-h` appears before a `--` terminator: help wins over every other problem. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * The usage error for a value that is not what an option expects, e.g.
 * `--min must be a whole number >= 0 (got "-5")`.
 *
 * @param command - Subcommand name, for the help hint.
 * @param option - The option as typed (`--min`) or the variable it came from.
 * @param expects - What the value must be (`a whole number >= 0`).
 * @param value - The value given.
 */
export function invalidValue(command: string, option: string, expects: string, value: string): Error {
  return usageError(command, `${option} must be ${expects} (got ${JSON.stringify(value)})`);
}

function has(options: OptionSpecs, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(options, name);
}

// Only a known option (or `--`) counts as "the value is missing": `--min -5` is a value, and a wrong one.
function isKnownOption(arg: string, options: OptionSpecs): boolean {
  if (arg === "--") return true;
  if (arg.startsWith("--")) return has(options, arg.slice(2).split("=")[0]);
  if (!/^-[^-]/.test(arg)) return false;
  return Object.values(options).some((spec) => spec.short === arg.charAt(1));
}

/** The part of a `parseArgs` option token read here. */
interface OptionToken {
  rawName: string;
  value?: string;
  inlineValue?: boolean;
}

function valueOf(command: string, token: OptionToken, spec: OptionSpec, options: OptionSpecs): string | true {
  const { rawName, value } = token;
  const expects = spec.expects ?? "a value";
  if (spec.type === "boolean") {
    if (value !== undefined)
      throw usageError(command, `${rawName} takes no value (got ${JSON.stringify(value)})`);
    return true;
  }
  if (value === undefined) throw usageError(command, `${rawName} needs a value: ${expects}`);
  if (!token.inlineValue && isKnownOption(value, options)) {
    throw usageError(command, `${rawName} needs a value: ${expects} (it is followed by ${value})`);
  }
  if (value.trim() === "") throw invalidValue(command, rawName, expects, value);
  return value;
}

/**
 * The tokens of `argv` read against `options`, unchecked (not strict): callers check them, so the
 * messages are this program's rather than Node's, and commands with positional arguments or repeated
 * options read what they need from the same tokens.
 */
export function commandTokens(argv: string[], options: OptionSpecs) {
  const config: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, { type, short }] of Object.entries(options)) {
    config[name] = short === undefined ? { type } : { type, short };
  }
  return parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true })
    .tokens;
}

/**
 * Parses a subcommand's arguments strictly: unknown options, stray arguments, flags given a value and
 * options missing theirs are usage errors. A value may start with a dash (`--min -5` gives `-5` to
 * `--min`, to be rejected by its own check) unless it is one of the command's options.
 *
 * @param command - Subcommand name for messages.
 * @param argv - Arguments after the subcommand.
 * @param options - Accepted options.
 * @throws A usage error (exit 2) naming the argument.
 */
export function parseCommand(command: string, argv: string[], options: OptionSpecs): OptionValues {
  const tokens = commandTokens(argv, options);
  const values: OptionValues = {};
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") throw usageError(command, `unexpected argument '${token.value}'`);
    if (!has(options, token.name)) throw usageError(command, `unknown option '${token.rawName}'`);
    values[token.name] = valueOf(command, token, options[token.name], options);
  }
  return values;
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
 * Reads an option that must be a whole number >= 0 (digits only).
 *
 * @param command - Subcommand name for messages.
 * @param values - Parsed values.
 * @param name - Option name without dashes.
 * @throws A usage error such as `--min must be a whole number >= 0 (got "-5")`.
 */
export function wholeNumberOption(
  command: string,
  values: Record<string, unknown>,
  name: string,
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw invalidValue(command, `--${name}`, WHOLE_NUMBER, raw);
  }
  return n;
}
