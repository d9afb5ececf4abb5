/**
 * Runs a Pulumi project's program (a directory with `Pulumi.yaml`) as an Automation API inline program.
 *
 * Why inline: a CLI built from the Go module proxy has no Node.js language host
 * (`pulumi-language-nodejs` is a separate, untagged Go module the proxy does not serve). An inline
 * program needs none: the Automation API runs its own language server in this process and passes
 * `--client` to the CLI. Everything else is what `pulumi up` in the project directory does: the CLI
 * starts the dynamic-provider plugin in the project directory, so the provider resolves
 * `pulumi-klaviyo-coupons/internal/...` from the project's `node_modules`, as in a user's project.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import type { PulumiFn } from "@pulumi/pulumi/automation";

/** What the Automation API needs to run a project's program inline. */
export interface ProjectProgram {
  /** `name` from `Pulumi.yaml`. */
  projectName: string;
  /** Absolute path of the program's entry point (`main`, else `index.ts`). */
  main: string;
  /** Loads the entry point afresh on every run; its exports become the stack outputs. */
  program: PulumiFn;
}

/**
 * Reads `Pulumi.yaml` of `projectDir` (only the top-level `name` and `main` keys matter here) and
 * returns the inline program that runs its entry point.
 *
 * @throws Error when `Pulumi.yaml` or the entry point is missing.
 */
export function projectProgram(projectDir: string): ProjectProgram {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`${projectDir} has no Pulumi.yaml`);
  const yaml = fs.readFileSync(file, "utf8");
  const projectName = topLevelValue(yaml, "name");
  if (!projectName) throw new Error(`${file} has no top-level name`);
  const main = path.resolve(projectDir, topLevelValue(yaml, "main") ?? "index.ts");
  const entry = fs.existsSync(main) && fs.statSync(main).isDirectory() ? path.join(main, "index.ts") : main;
  if (!fs.existsSync(entry)) throw new Error(`the program ${entry} named by ${file} does not exist`);
  return { projectName, main: entry, program: () => runFresh(entry) };
}

/**
 * Requires `entry` with a clean module cache for it, as each `pulumi up` starts a new process: a
 * program's top-level code registers its resources once per load.
 */
async function runFresh(entry: string): Promise<Record<string, unknown>> {
  const resolved = require.resolve(entry);
  delete require.cache[resolved];
  const loaded = require(resolved) as unknown;
  // `export = async () => ({ ... })` is a program too: the language host calls it and exports its result.
  const exports = typeof loaded === "function" ? await (loaded as () => unknown)() : loaded;
  return { ...(exports as Record<string, unknown>) };
}

function topLevelValue(yaml: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:\\s*(.+?)\\s*$`, "m").exec(yaml);
  return match ? match[1].replace(/^(["'])(.*)\1$/, "$2") : undefined;
}
