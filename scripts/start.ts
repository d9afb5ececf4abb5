/**
 * `npm start`: runs the example program (root `Pulumi.yaml`, main `examples/basic/index.ts`) with
 * `pulumi up` against the embedded Klaviyo emulator, on a throwaway stack in a temporary local backend,
 * prints the stack outputs and code availability, then destroys everything. `--keep` leaves the stack
 * and emulator running until Ctrl-C. See `USAGE` in `startArgs.ts`.
 *
 * The Pulumi CLI is obtained first (`pulumiCli.ts`: PATH, the cached build, or a build from the Go
 * module proxy), so a machine without any way to get it gets one explanatory paragraph within seconds
 * and nothing is started or changed. The program runs inline (`inlineProgram.ts`).
 *
 * @packageDocumentation
 */
import * as path from "path";
import { DEFAULT_TEST_API_KEY, startEmulator, type RunningEmulator } from "../emulator";
import { createKlaviyoClient } from "../provider/client";
import type { OutputMap, PulumiCommand } from "@pulumi/pulumi/automation";
import { watchInterrupts } from "./interrupts";
import { ensureBuilt, ensurePackageLink, REPO_ROOT } from "./projectSetup";
import { isPulumiCliMissingError, obtainPulumiCli } from "./pulumiCli";
import { countStatusesByListing, formatAvailability, formatOutputs, statusCountsFromOutputs } from "./report";
import { parseStartArgs, USAGE, type StartArgs } from "./startArgs";
import { createThrowawayStack, type ThrowawayStack } from "./throwawayStack";

const say = (text: string) => console.log(text);
const write = (text: string) => process.stdout.write(text);
const color = process.stdout.isTTY ? "always" : "never";

/**
 * Runs `npm start` with `argv` (the arguments after the script) and resolves with the exit code.
 * Never rejects for expected failures: they are reported on stderr.
 */
async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  let args: StartArgs;
  try {
    args = parseStartArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }

  let cli: PulumiCommand;
  try {
    cli = await obtainPulumiCli({ log: say });
  } catch (err) {
    if (!isPulumiCliMissingError(err)) throw err;
    console.error(err.message);
    return 1;
  }
  say(`Using the Pulumi CLI ${cli.version?.toString() ?? "(version unknown)"} (${cli.command}).`);

  try {
    ensureBuilt(REPO_ROOT, say);
    if (ensurePackageLink(REPO_ROOT) === "created") {
      say(
        "Linked node_modules/pulumi-klaviyo-coupons to this repository (a user's project installs the package).",
      );
    }
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }

  const code = await runWithEmulator(cli, args);
  say(`npm start finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return code;
}

async function runWithEmulator(cli: PulumiCommand, args: StartArgs): Promise<number> {
  const interrupts = watchInterrupts({
    onFirst: () =>
      say(
        "\nInterrupted: stopping after the current Pulumi command, then cleaning up. " +
          "Press Ctrl-C again to exit at once (temporary files are still removed).",
      ),
  });
  const emulator = await startEmulator();
  let throwaway: ThrowawayStack | undefined;
  // Last resort for an exit in the middle (second Ctrl-C, crash): never leave Pulumi.<stack>.yaml behind.
  const onExit = () => throwaway?.disposeFilesSync();
  process.on("exit", onExit);
  let code = 0;
  try {
    say(`Klaviyo emulator listening on ${emulator.url}.`);
    throwaway = await createThrowawayStack({
      cli,
      workDir: args.projectDir,
      baseUrl: emulator.url,
      apiKey: DEFAULT_TEST_API_KEY,
    });
    say(
      `Created stack ${throwaway.stackName} (state in ${throwaway.backendDir}). Running pulumi preview...\n`,
    );
    await throwaway.stack.preview({ onOutput: write, color });
    say("\nRunning pulumi up...\n");
    const up = await throwaway.stack.up({ onOutput: write, color });
    say(`\n${formatOutputs(up.outputs)}\n`);
    say(`${await availabilityReport(up.outputs, emulator)}\n`);
    if (args.keep && !interrupts.received) {
      say(keepInstructions(cli, emulator, throwaway, args, up.outputs));
      await interrupts.next();
    }
  } catch (err) {
    code = interrupts.received ? 130 : 1;
    console.error(interrupts.received ? "Interrupted." : `npm start failed: ${summarize(err)}`);
  } finally {
    if (throwaway) {
      say("\nCleaning up: destroying the stack, removing it and its temporary state...\n");
      const problems = await throwaway.dispose({ onOutput: write, color });
      for (const problem of problems) console.error(`Cleanup: ${problem}`);
    }
    await emulator.close();
    say("Emulator stopped.");
    process.off("exit", onExit);
    interrupts.dispose();
  }
  return code;
}

/** The availability table: from the `statusCounts` output, else by listing the coupon's codes. */
async function availabilityReport(outputs: OutputMap, emulator: RunningEmulator): Promise<string> {
  const couponId =
    typeof outputs.couponId?.value === "string" ? (outputs.couponId.value as string) : undefined;
  const subject = couponId ? `Code availability of coupon ${couponId}` : "Code availability";
  const counts = statusCountsFromOutputs(outputs);
  if (counts) return formatAvailability(`${subject} (statusCounts output):`, counts);
  if (!couponId) return "Code availability: the program exports neither statusCounts nor couponId.";
  const client = createKlaviyoClient({ apiKey: DEFAULT_TEST_API_KEY, baseUrl: emulator.url });
  return formatAvailability(
    `${subject} (listed from the emulator):`,
    await countStatusesByListing(client, couponId),
  );
}

function keepInstructions(
  cli: PulumiCommand,
  emulator: RunningEmulator,
  throwaway: ThrowawayStack,
  args: StartArgs,
  outputs: OutputMap,
): string {
  const couponId = typeof outputs.couponId?.value === "string" ? outputs.couponId.value : "<couponId>";
  return [
    "--keep: the stack and the emulator stay up until you press Ctrl-C.",
    `  Emulator URL:  ${emulator.url}`,
    `  API key:       ${DEFAULT_TEST_API_KEY}`,
    "  From another terminal:",
    ...(path.isAbsolute(cli.command) ? [`    export PATH="${path.dirname(cli.command)}:$PATH"`] : []),
    `    export PULUMI_BACKEND_URL=${throwaway.env.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE= PULUMI_SKIP_UPDATE_CHECK=true`,
    `    cd ${args.projectDir} && pulumi stack select ${throwaway.stackName}`,
    "    pulumi stack output --show-secrets                              # the outputs, codes included",
    `    curl -s -X POST ${emulator.url}/__emulator/codes/${couponId}-<code>/assign \\`,
    `      -H 'content-type: application/json' -d '{"profileId":"p1"}'   # a customer gets a code`,
    "    pulumi refresh --yes                                            # reads the codes' statuses back",
    // Refresh updates the resources' state, not the stack outputs, which only a program run sets.
    `    pulumi stack export | grep -A4 '"statusCounts"'                 # ASSIGNED_TO_PROFILE: 1`,
    "Press Ctrl-C to destroy the stack, remove the temporary files and stop the emulator.",
  ].join("\n");
}

/** The useful part of an Automation API error: Pulumi already printed the details above it. */
function summarize(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([\s\S]*?)(?:\n err\?:|$)/.exec(text);
  const detail = (stderr ? stderr[1] : text).trim().split("\n").slice(-5).join("\n");
  return detail.length > 0 ? detail : "see the Pulumi output above";
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
