#!/usr/bin/env node
/**
 * `klaviyo-coupons`: query coupon-code stock from a shell, cron job or CI pipeline, and review a
 * `pulumi preview --json` before it is applied.
 *
 * `main` runs the command against any streams and environment (tests call it in-process); run as a
 * program, this file wires it to the process and sets the exit status.
 *
 * @packageDocumentation
 */
import { AVAILABILITY_HELP, runAvailability } from "./availabilityCommand";
import { CODES_HELP, runCodes } from "./codesCommand";
import { wantsHelp } from "./cliArgs";
import { emit, EXIT, exitCodeOf, oneLine, PROGRAM, usageError, type CliIo } from "./cliIo";
import { COUPONS_HELP, runCoupons } from "./couponsCommand";
import { packageVersion } from "./packageInfo";
import { REVIEW_HELP, runReview } from "./reviewCommand";
import { runCheckStock, STOCK_HELP } from "./stockCommand";

export type { CliIo, CliStream } from "./cliIo";
export { EXIT } from "./cliIo";

interface Command {
  help: string;
  run(argv: string[], io: CliIo, secrets: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  availability: { help: AVAILABILITY_HELP, run: runAvailability },
  coupons: { help: COUPONS_HELP, run: runCoupons },
  codes: { help: CODES_HELP, run: runCodes },
  review: { help: REVIEW_HELP, run: runReview },
  "check-stock": { help: STOCK_HELP, run: runCheckStock },
};

/** Top-level help text. */
export const HELP = `Usage: ${PROGRAM} <command> [options]
       ${PROGRAM} --help | --version

Query Klaviyo coupons and coupon-code stock; review a change before it is applied.

Commands:
  availability   Count a coupon's codes per status; --min N exits 3 when stock is low.
  coupons        List coupons with their code counts.
  codes          Export a coupon's codes (--csv or --json).
  review         Summarise 'pulumi preview --json' as Markdown for a pull request; exits 4 when the
                 change is dangerous (held codes deleted, a fail-if-assigned apply bound to fail, or,
                 with --live, a coupon left below its lowBalanceThreshold).
  check-stock    Check every coupon's stock against its lowBalanceThreshold (or --min); exits 3 when
                 any pool is low. For cron jobs and CI.

Options:
  -h, --help     Show this help.
  -V, --version  Print "${PROGRAM} <version>" and exit.

Run '${PROGRAM} <command> --help' for a command's options.

Credentials: KLAVIYO_API_KEY, or --api-key-file PATH. API origin: KLAVIYO_BASE_URL or --base-url URL.

Exit status: 0 ok, 1 failure (a Klaviyo call failed, an unreadable file), 2 usage error (or, for review,
input that is not a preview's JSON), 3 low stock (below availability --min, or a pool low in
check-stock), 4 review found a dangerous change.
`;

/**
 * Runs the command line.
 *
 * @example
 * ```ts
 * const code = await main(["availability", "--coupon", "SPRING10", "--json"], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env,
 * });
 * ```
 *
 * @param argv - Arguments after the program name.
 * @param io - Streams and environment.
 * @returns The exit status: 0 ok, 1 failure (a Klaviyo call failed, an unreadable file), 2 usage error
 *   (or input `review` cannot read as a preview), 3 below `--min`, 4 `review` found a dangerous change.
 *   Never throws: every error becomes one line on stderr, without stack trace or API key.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const secrets: string[] = [];
  try {
    const first = args[0];
    const known = (name: string | undefined) =>
      name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);
    if (first === undefined) {
      await emit(io.stderr, HELP);
      return EXIT.usage;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const topic = first === "help" ? args[1] : undefined;
      if (topic !== undefined && !known(topic)) throw usageError(undefined, `unknown command '${topic}'`);
      await emit(io.stdout, topic === undefined ? HELP : COMMANDS[topic].help);
      return EXIT.ok;
    }
    if (first === "--version" || first === "-V") {
      await emit(io.stdout, `${PROGRAM} ${packageVersion()}\n`);
      return EXIT.ok;
    }
    const command = known(first) ? COMMANDS[first] : undefined;
    if (command === undefined) {
      const what = first.startsWith("-") ? `unknown option '${first}'` : `unknown command '${first}'`;
      throw usageError(undefined, `${what}; commands: ${Object.keys(COMMANDS).join(", ")}`);
    }
    const rest = args.slice(1);
    if (wantsHelp(rest)) {
      await emit(io.stdout, command.help);
      return EXIT.ok;
    }
    return await command.run(rest, io, secrets);
  } catch (e) {
    const code = exitCodeOf(e) ?? EXIT.failure;
    // Klaviyo errors already read "Klaviyo GET /api/... failed: 404 ...": one line, no headers, no key.
    const message = e instanceof Error ? e.message : String(e);
    const envKey = io.env.KLAVIYO_API_KEY?.trim() ?? "";
    const shown = oneLine(message, [...secrets, envKey]);
    try {
      await emit(io.stderr, `${PROGRAM}: ${shown}\n`);
    } catch {
      // Nothing left to report to.
    }
    return code;
  }
}

if (require.main === module) {
  // `klaviyo-coupons codes --csv | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
