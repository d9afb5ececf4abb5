/**
 * `klaviyo-coupons review`: turns `pulumi preview --json` into a Markdown summary for a pull-request
 * comment (one row per changed `Coupon` and `CouponCodeBatch`, plus warnings), and exits 4 when the
 * change is dangerous, so CI can ask for a second look. Codes are never printed.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { cliError, createProgress, emit, EXIT, PROGRAM, usageError, type CliIo } from "./cliIo";
import { commandTokens, parseCommand, type OptionSpecs } from "./cliArgs";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "./cliOptions";
import { count } from "./format";
import { couponsToList, reviewPreview } from "./review/analysis";
import { readLiveCoupons, type LiveCoupon } from "./review/live";
import { renderReview } from "./review/markdown";
import { readPreview } from "./review/preview";
import type { Preview } from "./review/previewTypes";

const NAME = "review";

/** Help text of the subcommand. */
export const REVIEW_HELP = `Usage: ${PROGRAM} ${NAME} <preview.json | -> [--live]

Summarises the output of 'pulumi preview --json' as Markdown for a pull-request comment: one row per
Coupon and CouponCodeBatch the change creates, updates, replaces or deletes (codes added, removed and
declared after, expiry, delete policy, what happens to the codes), then warnings. Codes are never
printed; values the preview does not know yet print as "(known after apply)".

Arguments:
  <preview.json>  The JSON 'pulumi preview --json' printed, or - to read it from stdin.

Options:
  --live          Also list each affected coupon's codes in Klaviyo once: how many of the codes to
                  be removed are held by profiles, and how many unassigned codes each coupon is left
                  with against its lowBalanceThreshold (read from Klaviyo for a coupon the preview
                  leaves out, as it does unchanged ones without --show-sames). Needs the stack's API
                  key: removed codes are matched by tags keyed with it. Without --live, held counts
                  come from the state (as of the last apply or refresh) and thresholds are not checked.

${CONNECTION_HELP.replace("Connection:", "Connection (with --live):")}

Exit status: 0 ok; 1 failure (unreadable file, a Klaviyo call failed); 2 usage error, or the input is
not the JSON of a preview; 4 dangerous, the Markdown says why:
  - a coupon is deleted or replaced while profiles hold some of its codes (Klaviyo deletes them too);
  - codes profiles hold are removed, or a batch holding some is deleted or replaced, under
    deletePolicy fail-if-assigned (the apply would fail);
  - a coupon's unassigned codes fall below its lowBalanceThreshold (known only with --live).
The Markdown goes to stdout with exit 0 and 4 alike.

Example:
  pulumi preview --json | KLAVIYO_API_KEY=pk_... ${PROGRAM} ${NAME} - --live > comment.md
`;

const OPTIONS: OptionSpecs = { live: { type: "boolean" }, ...CONNECTION_OPTIONS };

/** `CliIo` plus the stream `-` reads (default `process.stdin`), so specs can pipe a preview in. */
export interface ReviewIo extends CliIo {
  /** Where `-` reads the preview from. */
  stdin?: AsyncIterable<string | Buffer> & { isTTY?: boolean };
}

/** Splits the one positional argument (the file, or `-`) from the options `parseCommand` checks. */
function splitArguments(argv: string[]): { file: string; options: string[] } {
  const tokens = commandTokens(argv, OPTIONS);
  const positional = tokens.filter((t) => t.kind === "positional");
  const options = argv.filter((_, i) => !positional.some((t) => t.index === i));
  if (positional.length === 0)
    throw usageError(NAME, "the preview file is required (a path, or - for stdin)");
  if (positional.length > 1) throw usageError(NAME, `unexpected argument '${positional[1].value}'`);
  return { file: positional[0].value, options };
}

async function readAll(stream: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function readInput(file: string, io: ReviewIo): Promise<string> {
  if (file === "-") {
    const stdin = io.stdin ?? process.stdin;
    if (stdin.isTTY === true) {
      throw usageError(
        NAME,
        "- reads the preview from stdin, which is a terminal: pipe 'pulumi preview --json' in",
      );
    }
    return readAll(stdin);
  }
  try {
    return await fs.promises.readFile(path.resolve(io.cwd ?? process.cwd(), file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw cliError(EXIT.failure, `cannot read ${file} (${code})`);
  }
}

async function readLive(
  preview: Preview,
  values: Record<string, unknown>,
  io: CliIo,
  secrets: string[],
): Promise<Map<string, LiveCoupon>> {
  const { client, apiKey } = connect(NAME, values, io, secrets);
  const progress = createProgress(io.stderr);
  try {
    return await readLiveCoupons(client, couponsToList(preview), apiKey, (p) =>
      progress.update(`Listing codes of ${p.couponId} (coupon ${p.index} of ${p.of}): ${count(p.codes)}`),
    );
  } finally {
    progress.done();
  }
}

/**
 * Runs the subcommand.
 *
 * @param argv - Arguments after `review`.
 * @param io - Streams and environment; a {@link ReviewIo} may carry the stdin `-` reads.
 * @param secrets - Collects the API key for redaction.
 * @returns The exit status: 0, or 4 when a finding is dangerous.
 */
export async function runReview(argv: string[], io: CliIo, secrets: string[]): Promise<number> {
  const { file, options } = splitArguments(argv);
  const values = parseCommand(NAME, options, OPTIONS);
  if (!values.live && (values["api-key-file"] !== undefined || values["base-url"] !== undefined)) {
    throw usageError(NAME, "--api-key-file and --base-url are used only with --live");
  }
  const text = await readInput(file, io as ReviewIo);
  const preview = readPreview(text, (reason) =>
    cliError(
      EXIT.usage,
      `${file === "-" ? "stdin" : file} is not the output of 'pulumi preview --json': ${reason}`,
    ),
  );
  const live = values.live ? await readLive(preview, values, io, secrets) : null;
  const review = reviewPreview(preview, live);
  await emit(io.stdout, renderReview(review));
  const dangerous = review.findings.filter((f) => f.dangerous).length;
  if (dangerous === 0) return EXIT.ok;
  const what = dangerous === 1 ? "1 dangerous change" : `${dangerous} dangerous changes`;
  await emit(io.stderr, `${PROGRAM}: ${what}; see the warnings\n`);
  return EXIT.dangerous;
}
