/**
 * `npm run pulumi:install`: makes the Pulumi CLI available as `npm start` and the acceptance suite
 * find it (see `scripts/pulumiCli.ts`), building the pinned version from the Go module proxy when no
 * `pulumi` on PATH is new enough. Prints the CLI's path and version. `--rebuild` builds even when a
 * cached build exists.
 *
 * @packageDocumentation
 */
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { buildPulumiCli } from "./pulumiBuild";
import { isPulumiCliMissingError, obtainPulumiCli } from "./pulumiCli";

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => console.log(line);
  if (argv.some((a) => a === "--help" || a === "-h")) {
    log(
      "Usage: npm run pulumi:install [-- --rebuild]\nFinds or builds the Pulumi CLI used by npm start and npm test.",
    );
    return 0;
  }
  try {
    const cli = argv.includes("--rebuild")
      ? await PulumiCommand.get({ root: await buildPulumiCli({ log }), skipVersionCheck: true })
      : await obtainPulumiCli({ log });
    log(`Pulumi CLI v${cli.version?.toString() ?? "?"}: ${cli.command}`);
    return 0;
  } catch (err) {
    console.error(isPulumiCliMissingError(err) ? err.message : String(err));
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
