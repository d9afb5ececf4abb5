/**
 * A disposable Pulumi stack for a project in this repository: state in a temporary local ("file://")
 * backend, an empty passphrase, and stack config pointing the provider at an emulator. The program
 * runs inline (see `inlineProgram.ts`), in the project directory.
 *
 * @packageDocumentation
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, type PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { projectProgram } from "./inlineProgram";

/** Options of {@link createThrowawayStack}. */
export interface ThrowawayStackOptions {
  /** The CLI to drive. */
  cli: PulumiCommand;
  /**
   * Project directory (holds `Pulumi.yaml`). The provider plugin runs here, so the package must be
   * resolvable from it.
   */
  workDir: string;
  /** The program; default: the one `Pulumi.yaml` in `workDir` names. */
  program?: { projectName: string; program: PulumiFn };
  /** Klaviyo API origin for the provider (`klaviyo:baseUrl`). */
  baseUrl: string;
  /** API key for the provider (`klaviyo:apiKey`, stored as a secret). */
  apiKey: string;
  /** More plain stack config, keys as `pulumi config set` takes them. */
  config?: Record<string, string>;
  /** Stack name prefix; a random suffix keeps concurrent runs apart. Default `npm-start`. */
  prefix?: string;
}

/** Options of {@link ThrowawayStack.dispose}. */
export interface DisposeOptions {
  /** Receives Pulumi's progress output. */
  onOutput?: (out: string) => void;
  /** Colour of Pulumi's output (default `never`). */
  color?: "always" | "never";
  /** Skip `pulumi destroy` (when there is nothing to destroy, or no emulator to talk to). */
  skipDestroy?: boolean;
}

/** A stack that can be removed without a trace. */
export interface ThrowawayStack {
  stack: Stack;
  stackName: string;
  /** Temporary directory holding the state. */
  backendDir: string;
  /** Environment every Pulumi command needs to see this stack (for printing to the user, too). */
  env: Record<string, string>;
  /**
   * Destroys the resources (unless `skipDestroy`), removes the stack, its `Pulumi.<stack>.yaml` and the
   * backend directory. Never throws: returns what went wrong so the caller can report it.
   */
  dispose(options?: DisposeOptions): Promise<string[]>;
  /** Synchronous last-resort removal of the temporary files (for `process.on("exit")`). */
  disposeFilesSync(): void;
}

/** Creates the backend directory and the stack, and sets its config. */
export async function createThrowawayStack(options: ThrowawayStackOptions): Promise<ThrowawayStack> {
  const backendDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "klaviyo-coupons-state-")));
  const stackName = `${options.prefix ?? "npm-start"}-${randomBytes(3).toString("hex")}`;
  const stackFile = path.join(options.workDir, `Pulumi.${stackName}.yaml`);
  const env = backendEnv(backendDir);
  const disposeFilesSync = () => {
    fs.rmSync(stackFile, { force: true });
    fs.rmSync(backendDir, { recursive: true, force: true });
  };
  let stack: Stack;
  try {
    stack = await createConfiguredStack(options, stackName, env);
  } catch (err) {
    disposeFilesSync();
    throw err;
  }
  return {
    stack,
    stackName,
    backendDir,
    env,
    disposeFilesSync,
    dispose: (disposeOptions) => disposeStack(stack, stackName, disposeFilesSync, disposeOptions),
  };
}

function backendEnv(backendDir: string): Record<string, string> {
  return {
    // Forward slashes: Pulumi reads file:// URLs with them on every platform.
    PULUMI_BACKEND_URL: `file://${backendDir.replace(/\\/g, "/")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // Offline: a missing plugin is an error to report, never a download to attempt.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

async function createConfiguredStack(
  options: ThrowawayStackOptions,
  stackName: string,
  env: Record<string, string>,
): Promise<Stack> {
  const { projectName, program } = options.program ?? projectProgram(options.workDir);
  const stack = await LocalWorkspace.createStack(
    { stackName, projectName, program },
    { workDir: options.workDir, pulumiCommand: options.cli, envVars: env },
  );
  await stack.setAllConfig({
    "klaviyo:baseUrl": { value: options.baseUrl },
    "klaviyo:apiKey": { value: options.apiKey, secret: true },
    ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k, { value: v }])),
  });
  return stack;
}

// Every step is attempted even after an earlier one failed, so as little as possible is left behind.
async function disposeStack(
  stack: Stack,
  stackName: string,
  disposeFilesSync: () => void,
  { onOutput, color = "never", skipDestroy }: DisposeOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  if (!skipDestroy) {
    try {
      await stack.destroy({ onOutput, color });
    } catch (err) {
      problems.push(`destroy failed: ${firstLine(err)}`);
    }
  }
  try {
    // force: after a failed destroy the resources lived only in the emulator, which goes away too.
    await stack.workspace.removeStack(stackName, { force: true });
  } catch (err) {
    problems.push(`removing the stack failed: ${firstLine(err)}`);
  }
  try {
    disposeFilesSync();
  } catch (err) {
    problems.push(`removing temporary files failed: ${firstLine(err)}`);
  }
  return problems;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([^\n]+)/.exec(text);
  return (stderr ? stderr[1] : text.split("\n")[0]).trim();
}
