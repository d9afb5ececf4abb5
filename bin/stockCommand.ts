/**
 * `klaviyo-coupons check-stock`: the stock of every coupon of the account against its threshold, for
 * cron jobs and CI. Klaviyo skips a message whose coupon has no code left, so the customer silently
 * gets nothing; this command exits 3 before that happens.
 *
 * @packageDocumentation
 */
import { createProgress, emit, EXIT, PROGRAM, type CliIo } from "./cliIo";
import {
  commandTokens,
  invalidValue,
  parseCommand,
  stringOption,
  WHOLE_NUMBER,
  wholeNumberOption,
  type OptionSpecs,
} from "./cliArgs";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "./cliOptions";
import { count } from "./format";
import { checkStock, readCoupons, stockWindow, type CouponStock } from "./stock/count";
import { lowStockLine, stockReport, stockTable } from "./stock/report";

const NAME = "check-stock";

const WHOLE_DAYS = "a whole number of days >= 1";

const OPTIONS: OptionSpecs = {
  coupon: { type: "string", expects: "a coupon ID" },
  min: { type: "string", expects: WHOLE_NUMBER },
  "expiring-within": { type: "string", expects: WHOLE_DAYS },
  json: { type: "boolean" },
  ...CONNECTION_OPTIONS,
};

/** Help text of the subcommand. */
export const STOCK_HELP = `Usage: ${PROGRAM} ${NAME} [--coupon ID]... [--min N] [--expiring-within DAYS] [--json]

Checks the code stock of every coupon of the account, for cron jobs and CI, and exits 3 when any pool
is low. Klaviyo skips a message whose coupon has run out of codes: the customer silently gets nothing.

Each coupon's codes are listed once (100 per request; progress is shown on a terminal) and counted:
  STOCK           unassigned codes that do not expire or expire later than now (later than the
                  --expiring-within window, when given): what can still be sent
  EXPIRING SOON   unassigned codes expiring within the next DAYS days (only with --expiring-within)
  EXPIRED         unassigned codes whose expiry has passed (still listed, of no use to a customer)
  ASSIGNED, USED  codes assigned to a profile, and codes used
A pool is LOW when its stock is below its threshold: the coupon's own lowBalanceThreshold, else --min.
A coupon with neither is shown as "no threshold" and is never low. Low pools come first, emptiest
first, followed by a summary line ("2 of 14 coupons are low."). No code is ever printed.

Options:
  --coupon ID             Check only this coupon (its external_id); repeat for several. Default: every
                          coupon of the account.
  --min N                 The threshold of coupons without a lowBalanceThreshold of their own; a
                          coupon's own threshold always wins. N is a whole number >= 0.
  --expiring-within DAYS  Count unassigned codes expiring within DAYS days apart from the stock: they
                          will be gone before long. DAYS is a whole number >= 1.
  --json                  Print one JSON object instead of the table:
                          { checkedAt, expiringWithinDays (null without the option),
                            coupons: [{ couponId, stock, expiringSoon (0 without --expiring-within),
                                        expired, assigned, used, total (codes of every status),
                                        threshold (null: none), thresholdSource ("coupon", "min"
                                        or null), low }],
                            low (how many coupons are low) }

${CONNECTION_HELP}

Exit status: 0 no pool is low, 1 a Klaviyo call failed (one line on stderr, never the key), 2 usage
error, 3 at least one pool is low (one line on stderr names them).

Example (a daily cron job; cron mails what reaches stderr: the low pools, or why the check failed):
  KLAVIYO_API_KEY=pk_... ${PROGRAM} ${NAME} --min 500 --expiring-within 7 > /dev/null
`;

/**
 * Every value of an option that may be repeated. `parseCommand` keeps the last one, so the values are
 * read again from the same tokens, after `parseCommand` has checked all of them.
 */
function repeatedValues(argv: string[], name: string): string[] {
  const tokens = commandTokens(argv, OPTIONS);
  const found: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option" && token.name === name && token.value !== undefined) found.push(token.value);
  }
  return [...new Set(found)];
}

// `--expiring-within 0` would be an empty window, almost certainly a mistake rather than a question.
function expiringWithinOption(values: Record<string, unknown>): number | null {
  const raw = stringOption(values, "expiring-within");
  if (raw === undefined) return null;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(days) || days < 1) {
    throw invalidValue(NAME, "--expiring-within", WHOLE_DAYS, raw);
  }
  return days;
}

/**
 * Runs the subcommand.
 *
 * @param argv - Arguments after `check-stock`.
 * @param io - Streams and environment.
 * @param secrets - Collects the API key for redaction.
 * @returns The exit status: 0 no pool is low, 3 at least one is (a Klaviyo failure throws: exit 1).
 */
export async function runCheckStock(argv: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseCommand(NAME, argv, OPTIONS);
  const ids = repeatedValues(argv, "coupon");
  const min = wholeNumberOption(NAME, values, "min");
  const days = expiringWithinOption(values);
  const { client } = connect(NAME, values, io, secrets);
  const window = stockWindow(Date.now(), days);
  const progress = createProgress(io.stderr);
  let rows: CouponStock[];
  try {
    progress.update(ids.length > 0 ? "Reading coupons" : "Listing coupons");
    const coupons = await readCoupons(client, ids);
    rows = await checkStock(client, coupons, {
      window,
      min,
      onProgress: (p) =>
        progress.update(`Counting codes: ${p.finished}/${p.of} coupons, ${count(p.codes)} codes`),
    });
  } finally {
    progress.done();
  }
  const report = stockReport(rows, window, days);
  await emit(io.stdout, values.json ? JSON.stringify(report, null, 2) + "\n" : stockTable(report));
  const low = lowStockLine(report);
  if (low === null) return EXIT.ok;
  await emit(io.stderr, `${PROGRAM}: ${low}\n`);
  return EXIT.belowMinimum;
}
