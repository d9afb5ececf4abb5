#!/usr/bin/env node
/**
 * `klaviyo-emulator` (the package's bin, `dist/emulator/cli.js`; `npm run emulator` in the repository).
 * Prints exactly one line, `Klaviyo emulator listening on http://127.0.0.1:<port>`, which other code
 * parses, and serves until SIGINT/SIGTERM. Usage errors are one line on stderr and exit 2.
 *
 * It runs from `dist/` in a user's project, so it may import only Node built-ins, this directory and
 * `bin/packageInfo` (the one place that reads the package's version).
 */
import { packageVersion } from "../bin/packageInfo";
import { helpText, PROGRAM } from "./cliHelp";
import { parseArgs } from "./cliOptions";
import { startEmulator } from "./index";
import type { EmulatorOptions } from "./types";

export { parseArgs } from "./cliOptions";
export { helpText } from "./cliHelp";

/** Runs the command; resolves with an exit code, or with undefined once the emulator is serving. */
export async function main(argv: string[]): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(helpText());
    return 0;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${PROGRAM} ${packageVersion()}\n`);
    return 0;
  }
  let options: EmulatorOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${PROGRAM}: ${(error as Error).message} (see ${PROGRAM} --help)\n`);
    return 2;
  }
  const emulator = await startEmulator(options).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EADDRINUSE"
      ? new Error(
          `port ${options.port} is already in use on ${options.host ?? "127.0.0.1"}; pick another --port`,
        )
      : error;
  });
  process.stdout.write(`Klaviyo emulator listening on ${emulator.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return undefined;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
