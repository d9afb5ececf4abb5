/**
 * `klaviyo-coupons codes`: exports a coupon's codes (filtered at Klaviyo) as CSV, JSON or a table.
 *
 * CSV and JSON are streamed page by page, so pools of any size export in constant memory.
 *
 * @packageDocumentation
 */
import { listMatchingCouponCodes } from "../provider/availability/counting";
import type { CouponCode } from "../provider/client";
import { createProgress, emit, EXIT, PROGRAM, usageError, type CliIo } from "./cliIo";
import { parseCommand } from "./cliArgs";
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connect,
  FILTER_HELP,
  FILTER_OPTIONS,
  queryFromOptions,
} from "./cliOptions";
import { count, csvRow, renderTable } from "./format";

const NAME = "codes";

/** CSV header, and the keys of each JSON record. */
export const CODE_COLUMNS = ["coupon_id", "unique_code", "status", "expires_at", "profile_id"] as const;

/** Help text of the subcommand. */
export const CODES_HELP = `Usage: ${PROGRAM} ${NAME} --coupon ID [--status STATUS] [--expires-after TIME]
                 [--expires-before TIME] [--csv | --json]

Lists a coupon's codes, filtered at Klaviyo. Codes are discount codes: treat the output as sensitive.

Options:
${FILTER_HELP}
  --csv                   Print CSV (RFC 4180 quoting, header row: ${CODE_COLUMNS.join(",")}).
  --json                  Print a JSON array of objects with those keys.
                          Without --csv or --json, an aligned table is printed.

${CONNECTION_HELP}

Exit status: 0 ok, 1 Klaviyo call failed, 2 usage error.

Example:
  ${PROGRAM} ${NAME} --coupon SPRING10 --status UNASSIGNED --csv > spring10-unassigned.csv
`;

type CodeRecord = Record<(typeof CODE_COLUMNS)[number], string | null>;

function record(couponId: string, code: CouponCode): CodeRecord {
  return {
    coupon_id: couponId,
    unique_code: code.attributes.unique_code,
    status: code.attributes.status,
    expires_at: code.attributes.expires_at,
    profile_id: code.relationships?.profile?.data?.id ?? null,
  };
}

/**
 * Runs the subcommand.
 *
 * @param argv - Arguments after `codes`.
 * @param io - Streams and environment.
 * @param secrets - Collects the API key for redaction.
 * @returns The exit status.
 */
export async function runCodes(argv: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseCommand(NAME, argv, {
    ...FILTER_OPTIONS,
    csv: { type: "boolean" },
    json: { type: "boolean" },
    ...CONNECTION_OPTIONS,
  });
  if (values.csv && values.json) throw usageError(NAME, "--csv and --json cannot be combined");
  const query = queryFromOptions(NAME, values, true);
  const { client } = connect(NAME, values, io, secrets);
  const format = values.csv ? "csv" : values.json ? "json" : "table";
  const progress = createProgress(io.stderr);
  const rows: string[][] = [];
  let written = 0;
  try {
    // An unknown coupon would otherwise export an empty file without complaint.
    await client.getCoupon(query.couponId, { fields: ["external_id"] });
    if (format === "csv") await emit(io.stdout, csvRow(CODE_COLUMNS));
    if (format === "json") await emit(io.stdout, "[");
    const pages = listMatchingCouponCodes(client, query, {
      onProgress: (p) => progress.update(`Listing codes of ${query.couponId}: ${count(p.codes)}`),
    });
    for await (const page of pages) {
      const records = page.map((c) => record(query.couponId, c));
      if (format === "csv") {
        await emit(io.stdout, records.map((r) => csvRow(CODE_COLUMNS.map((k) => r[k]))).join(""));
      } else if (format === "json") {
        const text = records.map((r, i) => `${written + i === 0 ? "" : ","}\n  ${JSON.stringify(r)}`);
        if (text.length > 0) await emit(io.stdout, text.join(""));
      } else {
        for (const r of records) rows.push(CODE_COLUMNS.slice(1).map((k) => r[k] ?? ""));
      }
      written += records.length;
    }
  } finally {
    progress.done();
  }
  if (format === "json") await emit(io.stdout, written === 0 ? "]\n" : "\n]\n");
  if (format === "table") {
    const columns = CODE_COLUMNS.slice(1).map((k) => ({ header: k.toUpperCase() }));
    await emit(io.stdout, rows.length === 0 ? "No matching codes.\n" : renderTable(columns, rows));
  }
  return EXIT.ok;
}
