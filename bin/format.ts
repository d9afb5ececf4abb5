/**
 * Text renderings for the command line: aligned tables and RFC 4180 CSV.
 *
 * @packageDocumentation
 */
import { csvField as quoteCsvField } from "../provider/csv/couponCsv";

/** A table column: its header and whether values are right-aligned (numbers). */
export interface Column {
  /** Header text. */
  header: string;
  /** Right-align the column (default false). */
  right?: boolean;
}

/**
 * Makes a value safe for one table cell: control characters (newlines, tabs, escapes from a
 * description typed elsewhere) would break the layout or drive the terminal.
 *
 * @param value - Cell text.
 */
export function cellText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/**
 * Renders rows as space-aligned columns, header first, each line ending in a newline.
 *
 * @param columns - Column definitions.
 * @param rows - Cell texts, one array per row, in column order.
 */
export function renderTable(columns: readonly Column[], rows: readonly string[][]): string {
  const cells = rows.map((row) => row.map(cellText));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    columns
      .map((c, i) => {
        const text = row[i] ?? "";
        return c.right ? text.padStart(widths[i]) : text.padEnd(widths[i]);
      })
      .join("  ")
      .trimEnd() + "\n";
  return line(columns.map((c) => c.header)) + cells.map(line).join("");
}

/**
 * Formats an integer with thousands separators for tables (`12,345`).
 *
 * @param n - A count.
 */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Quotes one CSV field when RFC 4180 requires it (comma, quote, CR or LF), and also when it has
 * leading or trailing spaces, which some readers would otherwise trim. Quotes are doubled.
 *
 * @param value - Field value; null and undefined become an empty field.
 */
export function csvField(value: string | null | undefined): string {
  return value === null || value === undefined ? "" : quoteCsvField(value);
}

/**
 * Renders one CSV record terminated by a newline.
 *
 * @param fields - Field values.
 */
export function csvRow(fields: ReadonlyArray<string | null | undefined>): string {
  return fields.map(csvField).join(",") + "\n";
}
