/**
 * The options of `klaviyo-emulator` and their parser. One table drives both the parser and the option
 * list of `--help`, so a flag cannot be documented without being accepted, or the other way round.
 */
import { DEFAULT_JOB_LATENCY, DEFAULT_LIMITS, DEFAULT_RATE_LIMITS } from "./config";
import type { CouponDeleteMode, EmulatorOptions, JobLatencySettings } from "./types";

/** The port the CLI listens on without `--port` (`startEmulator` itself defaults to a free port). */
export const DEFAULT_CLI_PORT = 4010;

const DELETE_MODES: CouponDeleteMode[] = ["cascade", "refuse-with-codes"];

/** What the parser accumulates before building the options. */
interface Draft {
  options: EmulatorOptions;
  apiKeys: string[];
  jobs: Partial<JobLatencySettings>;
}

/** A value type: what it accepts, said the way error messages and `--help` say it. */
interface ValueKind<T> {
  expects: string;
  read(text: string): T | undefined;
}

/** One command line option. */
export interface CliOption {
  flag: string;
  /** Placeholder of the value in `--help`; absent for switches. */
  placeholder?: string;
  /** What the value must be, for error messages; absent for switches. */
  expects?: string;
  help: string;
  /** Validates and applies the value (`undefined` for a switch); false when the value is not acceptable. */
  apply(draft: Draft, text: string | undefined): boolean;
}

// Number("") and Number(" ") are 0, which would let `--port=` through as "pick a free port".
const number = (text: string) => (text.trim() === "" ? NaN : Number(text));
const port: ValueKind<number> = {
  expects: "an integer from 0 to 65535",
  read: (text) => ok(number(text), (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
};
const milliseconds: ValueKind<number> = {
  expects: "a number of milliseconds, 0 or more",
  read: (text) => ok(number(text), (n) => Number.isFinite(n) && n >= 0),
};
const positive: ValueKind<number> = {
  expects: "a number greater than 0",
  read: (text) => ok(number(text), (n) => Number.isFinite(n) && n > 0),
};
const count = (min: number): ValueKind<number> => ({
  expects: `an integer, ${min} or more`,
  read: (text) => ok(number(text), (n) => Number.isInteger(n) && n >= min),
});
const word = (what: string): ValueKind<string> => ({
  expects: `${what} without spaces`,
  read: (text) => ok(text, (s) => /^\S+$/.test(s)),
});
const deleteMode: ValueKind<CouponDeleteMode> = {
  expects: DELETE_MODES.join(" or "),
  read: (text) => DELETE_MODES.find((mode) => mode === text),
};

function ok<T>(value: T, test: (value: T) => boolean): T | undefined {
  return test(value) ? value : undefined;
}

function valued<T>(
  flag: string,
  placeholder: string,
  kind: ValueKind<T>,
  help: string,
  set: (draft: Draft, value: T) => void,
): CliOption {
  return {
    flag,
    placeholder,
    expects: kind.expects,
    help,
    apply(draft, text) {
      const value = text === undefined ? undefined : kind.read(text);
      if (value !== undefined) set(draft, value);
      return value !== undefined;
    },
  };
}

function jobOption(flag: string, key: keyof JobLatencySettings, kind: ValueKind<number>, help: string) {
  return valued(flag, "N", kind, `${help} (default ${DEFAULT_JOB_LATENCY[key]})`, (draft, value) => {
    draft.jobs[key] = value;
  });
}

/** Every option but `--help` and `--version`, in `--help` order. */
export const CLI_OPTIONS: CliOption[] = [
  valued("--port", "N", port, `TCP port, 0 picks a free one (default ${DEFAULT_CLI_PORT})`, (d, v) => {
    d.options.port = v;
  }),
  valued("--host", "H", word("a host name or address"), "interface to bind (default 127.0.0.1)", (d, v) => {
    d.options.host = v;
  }),
  valued(
    "--api-key",
    "K",
    word("a key"),
    "accepted private API key, repeatable (default: the test key)",
    (d, v) => {
      d.apiKeys.push(v);
    },
  ),
  {
    flag: "--no-rate-limits",
    help: "do not enforce Klaviyo's rate limits (no 429s)",
    apply(draft) {
      draft.options.rateLimits = { ...draft.options.rateLimits, enabled: false };
      return true;
    },
  },
  valued(
    "--rate-limit-scale",
    "N",
    positive,
    `multiply every rate limit by N (default ${DEFAULT_RATE_LIMITS.scale})`,
    (d, v) => {
      d.options.rateLimits = { ...d.options.rateLimits, scale: v };
    },
  ),
  jobOption("--job-queued-ms", "queuedMs", milliseconds, "minimum time a bulk job stays queued"),
  jobOption(
    "--job-processing-ms-per-job",
    "processingMsPerJob",
    milliseconds,
    "fixed processing time per job",
  ),
  jobOption("--job-processing-ms-per-code", "processingMsPerCode", milliseconds, "processing time per code"),
  jobOption("--job-concurrency", "concurrency", count(1), "jobs processed in parallel"),
  valued(
    "--coupon-delete",
    "MODE",
    deleteMode,
    "cascade (default) or refuse-with-codes (409 while codes exist)",
    (d, v) => {
      d.options.couponDelete = v;
    },
  ),
  valued(
    "--max-coupons",
    "N",
    count(0),
    `account coupon limit (default ${DEFAULT_LIMITS.maxCoupons})`,
    (d, v) => {
      d.options.limits = { maxCoupons: v };
    },
  ),
];

/**
 * Parses command line arguments (`--flag value` or `--flag=value`) into emulator options. Throws an
 * `Error` whose one-line message names the argument at fault and what it expects.
 */
export function parseArgs(argv: string[]): EmulatorOptions {
  const draft: Draft = { options: { port: DEFAULT_CLI_PORT }, apiKeys: [], jobs: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const option = CLI_OPTIONS.find((candidate) => candidate.flag === flag);
    if (!option) {
      throw new Error(
        arg.startsWith("-")
          ? `unknown option '${flag}'`
          : `unexpected argument '${arg}': only options are taken`,
      );
    }
    let text: string | undefined;
    if (equals >= 0) text = arg.slice(equals + 1);
    // A following option is not a value: `--api-key --port 1` means the key was forgotten.
    else if (option.placeholder && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--"))
      text = argv[++i];
    if (!option.placeholder && text !== undefined) throw new Error(`${flag} takes no value, got '${arg}'`);
    if (option.placeholder && text === undefined) throw new Error(`${flag} needs a value: ${option.expects}`);
    if (!option.apply(draft, text)) throw new Error(`${flag} expects ${option.expects}, got '${text}'`);
  }
  const { options, apiKeys, jobs } = draft;
  if (apiKeys.length > 0) options.apiKeys = apiKeys;
  if (Object.keys(jobs).length > 0) options.jobs = jobs;
  return options;
}
