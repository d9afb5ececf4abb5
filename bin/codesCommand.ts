/**
 * `klaviyo-coupons codes`: exports a coupon's codes (filtered at Klaviyo) as CSV (ours, or Klaviyo's
 * import format), JSON or a table.
 *
 * CSV and JSON are streamed page by page, so pools of any size export in constant memory.
 *
 * @packageDocumentation
 */
import { listMatchingCouponCodes } from "../provider/availability/counting";
import type { CouponCode } from "../provider/client";
import { writeCouponCodes } from "../provider/csv/couponCsv";
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
                 [--expires-before TIME] [--csv [--klaviyo] | --json]

Lists a coupon's codes, filtered at Klaviyo. Codes are discount codes: treat the output as sensitive.

Options:
${FILTER_HELP}
  --csv                   Print CSV (RFC 4180 quoting, header row: ${CODE_COLUMNS.join(",")}).
  --json                  Print a JSON array of objects with those keys.
                          Without --csv or --json, an aligned table is printed.
  --klaviyo               With --csv: print Klaviyo's import format instead, the codes alone under the
                          header "Coupon Code" (CRLF line ends), to upload into Klaviyo's UI or a shop.
                          Add --status UNASSIGNED to leave out the codes already given out.

${CONNECTION_HELP}

Exit status: 0 ok, 1 Klaviyo call failed, 2 usage error.

Examples:
  ${PROGRAM} ${NAME} --coupon SPRING10 --status UNASSIGNED --csv > spring10-unassigned.csv
  ${PROGRAM} ${NAME} --coupon SPRING10 --status UNASSIGNED --csv --klaviyo > spring10-upload.csv
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

type Format = "csv" | "klaviyo" | "json" | "table";

/** The text of one export: before the first page, for each page, and after the last. */
interface Output {
  head: string;
  page(records: CodeRecord[]): string;
  tail(): string;
}

/** The columns of the table: the coupon is the one asked for, so it is left out. */
const TABLE_COLUMNS = CODE_COLUMNS.slice(1);

function tableOutput(): Output {
  // A table aligns its columns to the widest cell, so it is printed once every page is in.
  const rows: string[][] = [];
  const columns = TABLE_COLUMNS.map((k) => ({ header: k.toUpperCase() }));
  return {
    head: "",
    page: (records) => {
      for (const r of records) rows.push(TABLE_COLUMNS.map((k) => r[k] ?? ""));
      return "";
    },
    tail: () => (rows.length === 0 ? "No matching codes.\n" : renderTable(columns, rows)),
  };
}

function output(format: Format): Output {
  if (format === "csv") {
    return {
      head: csvRow(CODE_COLUMNS),
      page: (records) => records.map((r) => csvRow(CODE_COLUMNS.map((k) => r[k]))).join(""),
      tail: () => "",
    };
  }
  if (format === "klaviyo") {
    const codes = (records: CodeRecord[]) => records.map((r) => r.unique_code ?? "");
    return {
      head: writeCouponCodes([]),
      // The rows alone: the header went out once, before the first page.
      page: (records) => writeCouponCodes(codes(records), { header: false }),
      tail: () => "",
    };
  }
  if (format === "table") return tableOutput();
  let written = 0;
  return {
    head: "[",
    page: (records) => {
      const text = records.map((r, i) => `${written + i === 0 ? "" : ","}\n  ${JSON.stringify(r)}`);
      written += records.length;
      return text.join("");
    },
    tail: () => (written === 0 ? "]\n" : "\n]\n"),
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
    klaviyo: { type: "boolean" },
    json: { type: "boolean" },
    ...CONNECTION_OPTIONS,
  });
  if (values.csv && values.json) throw usageError(NAME, "--csv and --json cannot be combined");
  if (values.klaviyo && !values.csv) throw usageError(NAME, "--klaviyo needs --csv");
  const query = queryFromOptions(NAME, values, true);
  const { client } = connect(NAME, values, io, secrets);
  const format: Format = values.klaviyo ? "klaviyo" : values.csv ? "csv" : values.json ? "json" : "table";
  const out = output(format);
  const progress = createProgress(io.stderr);
  try {
    // An unknown coupon would otherwise export an empty file without complaint.
    await client.getCoupon(query.couponId, { fields: ["external_id"] });
    if (out.head !== "") await emit(io.stdout, out.head);
    const pages = listMatchingCouponCodes(client, query, {
      onProgress: (p) => progress.update(`Listing codes of ${query.couponId}: ${count(p.codes)}`),
    });
    for await (const page of pages) {
      const text = out.page(page.map((c) => record(query.couponId, c)));
      if (text !== "") await emit(io.stdout, text);
    }
  } finally {
    progress.done();
  }
  const tail = out.tail();
  if (tail !== "") await emit(io.stdout, tail);
  return EXIT.ok;
}
