/**
 * Command-line arguments of `npm start` (`scripts/start.ts`).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./projectSetup";

/** Help text. */
export const USAGE = `Usage: npm start [-- [--keep] [--example <name>]]

Runs an example program with \`pulumi up\` against the embedded Klaviyo emulator, on a throwaway
local stack, prints its outputs and code availability, then destroys everything.

  --keep            Keep the stack and the emulator running until Ctrl-C (prints how to reach them).
  --example <name>  Run examples/<name> instead of the root program (examples/basic).
  --help            Show this help.`;

/** Parsed arguments. */
export interface StartArgs {
  keep: boolean;
  help: boolean;
  /** Example name, or undefined for the root project. */
  example: string | undefined;
  /** Directory holding the `Pulumi.yaml` to run. */
  projectDir: string;
}

/** Examples that have their own `Pulumi.yaml`, sorted by name. */
export function runnableExamples(root: string = REPO_ROOT): string[] {
  const dir = path.join(root, "examples");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "Pulumi.yaml")))
    .map((e) => e.name)
    .sort();
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws Error naming the bad argument (and the known examples, for `--example`).
 */
export function parseStartArgs(argv: string[], root: string = REPO_ROOT): StartArgs {
  const args: StartArgs = { keep: false, help: false, example: undefined, projectDir: root };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--keep") args.keep = true;
    else if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--example" || arg.startsWith("--example=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (!value) throw new Error("--example needs a name");
      args.example = value;
    } else throw new Error(`Unknown argument ${JSON.stringify(arg)}`);
  }
  if (args.example !== undefined) {
    const known = runnableExamples(root);
    if (!known.includes(args.example)) {
      throw new Error(
        `No runnable example ${JSON.stringify(args.example)}; choose one of: ${known.join(", ")}`,
      );
    }
    args.projectDir = path.join(root, "examples", args.example);
  }
  return args;
}
