/**
 * `klaviyo-coupons availability`: counts a coupon's codes per status, for people (table), scripts
 * (`--json`) and alerting (`--min N` exits 3 when stock is low).
 *
 * @packageDocumentation
 */
import {
  getCouponCodeAvailability,
  lowStockMessage,
  type AvailabilityStatus,
  type CouponCodeAvailability,
} from "../provider/availability/counting";
import { COUPON_CODE_STATUSES } from "../provider/availability/query";
import { createProgress, emit, EXIT, PROGRAM, usageError, type CliIo } from "./cliIo";
import { parseCommand, WHOLE_NUMBER, wholeNumberOption } from "./cliArgs";
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connect,
  FILTER_HELP,
  FILTER_OPTIONS,
  queryFromOptions,
} from "./cliOptions";
import { count, renderTable } from "./format";

const NAME = "availability";

/** Help text of the subcommand. */
export const AVAILABILITY_HELP = `Usage: ${PROGRAM} ${NAME} --coupon ID [--status STATUS] [--expires-after TIME]
                       [--expires-before TIME] [--json] [--min N]

Counts a coupon's codes per status (filtered at Klaviyo) and shows when the unassigned ones expire.

Options:
${FILTER_HELP}
  --json                  Print the result as JSON instead of a table.
  --min N                 Exit with status 3 when fewer than N unassigned codes match (for cron or CI).
                          N is a whole number >= 0. Cannot be combined with a --status other than
                          UNASSIGNED.

Counts: one per status, plus UNKNOWN for codes Klaviyo returned without a status (normally 0; the
table shows an UNKNOWN row only when there are some, the JSON "counts" always has the key).

${CONNECTION_HELP}

Exit status: 0 ok, 1 Klaviyo call failed, 2 usage error, 3 fewer than --min unassigned codes.

Example:
  KLAVIYO_API_KEY=pk_... ${PROGRAM} ${NAME} --coupon SPRING10 --expires-after 2026-06-01 --min 500
`;

function describeFilters(a: CouponCodeAvailability): string {
  const parts: string[] = [];
  if (a.filters.status !== null) parts.push(`status = ${a.filters.status}`);
  if (a.filters.expiresAfter !== null) parts.push(`expires_at >= ${a.filters.expiresAfter}`);
  if (a.filters.expiresBefore !== null) parts.push(`expires_at < ${a.filters.expiresBefore}`);
  return parts.length === 0 ? "all codes" : parts.join(", ");
}

/**
 * Renders an availability as a readable table.
 *
 * @param a - The availability.
 */
export function availabilityTable(a: CouponCodeAvailability): string {
  const statuses: AvailabilityStatus[] = [...COUPON_CODE_STATUSES];
  if (a.counts.UNKNOWN > 0) statuses.push("UNKNOWN");
  const rows = statuses.map((s) => [s, count(a.counts[s])]);
  rows.push(["TOTAL", count(a.total)]);
  const expiry =
    a.earliestUnassignedExpiry === null
      ? "No unassigned code with an expiry matches."
      : `Unassigned codes expire from ${a.earliestUnassignedExpiry} to ${a.latestUnassignedExpiry}.`;
  return (
    `Coupon ${a.couponId} (${describeFilters(a)})\n\n` +
    renderTable([{ header: "STATUS" }, { header: "CODES", right: true }], rows) +
    `\n${expiry}\n`
  );
}

/**
 * Runs the subcommand.
 *
 * @param argv - Arguments after `availability`.
 * @param io - Streams and environment.
 * @param secrets - Collects the API key for redaction.
 * @returns The exit status.
 */
export async function runAvailability(argv: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseCommand(NAME, argv, {
    ...FILTER_OPTIONS,
    json: { type: "boolean" },
    min: { type: "string", expects: WHOLE_NUMBER },
    ...CONNECTION_OPTIONS,
  });
  const query = queryFromOptions(NAME, values, false);
  const min = wholeNumberOption(NAME, values, "min");
  if (min !== undefined && query.status !== null && query.status !== "UNASSIGNED") {
    throw usageError(
      NAME,
      `--min counts unassigned codes and cannot be combined with --status ${query.status}`,
    );
  }
  const { client } = connect(NAME, values, io, secrets);
  const progress = createProgress(io.stderr);
  let availability: CouponCodeAvailability;
  try {
    // The library reads the coupon first, so a mistyped id fails with Klaviyo's 404 rather than 0 codes.
    availability = await getCouponCodeAvailability(query, client, {
      onProgress: (p) => progress.update(`Counting codes of ${query.couponId}: ${count(p.codes)}`),
    });
  } finally {
    progress.done();
  }
  await emit(
    io.stdout,
    values.json ? JSON.stringify(availability, null, 2) + "\n" : availabilityTable(availability),
  );
  const low = min === undefined ? null : lowStockMessage(availability, min);
  if (low !== null) {
    await emit(io.stderr, `${PROGRAM}: ${low}\n`);
    return EXIT.belowMinimum;
  }
  return EXIT.ok;
}
