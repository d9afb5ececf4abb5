/**
 * Reads coupon codes from CSV text (RFC 4180): quoted fields may hold commas, line breaks and doubled
 * quotes (`""`); CRLF or LF line ends; a leading byte-order mark is ignored.
 *
 * @packageDocumentation
 */

/**
 * Headers {@link readCodesFromCsv} looks for when no `column` is given, in this order: `code`, then
 * `unique_code`, the header `klaviyo-coupons codes --csv` writes, so its exports are read unchanged.
 */
export const DEFAULT_CODE_COLUMNS: readonly string[] = ["code", "unique_code"];

/** Options of {@link readCodesFromCsv}. */
export interface ReadCodesOptions {
  /**
   * Header of the column holding the codes (compared case-insensitively). Default: a column named `code`,
   * else one named `unique_code` (see {@link DEFAULT_CODE_COLUMNS}). When the first row has no cell with
   * the name(s) looked for, the file has no header row and the codes are in the first column.
   */
  column?: string;
}

/** A parsed CSV row and the line it starts on (1-based), for error messages. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * Splits CSV text into rows of cells.
 *
 * @throws Error naming the line of an unterminated quoted field, or of a quote inside an unquoted field.
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let cells: string[] = [];
  let cell = "";
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current cell was quoted (only separators may follow the closing quote)
  let line = 1;
  let rowLine = 1;
  const endCell = () => {
    cells.push(cell);
    cell = "";
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    rows.push({ line: rowLine, cells });
    cells = [];
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        wasQuoted = true;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === ",") {
      endCell();
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && input[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else if (ch === '"' && cell.trim() === "" && !wasQuoted) {
      quoted = true;
      cell = "";
    } else if (ch === '"' || (wasQuoted && ch.trim() !== "")) {
      throw new Error(`line ${line}: unexpected character ${JSON.stringify(ch)}; quote the whole field`);
    } else if (!wasQuoted) {
      cell += ch;
    }
  }
  if (quoted) throw new Error(`line ${rowLine}: quoted field is not closed`);
  // A final line without a line break is still a row; an empty tail after the last break is not.
  if (cell !== "" || cells.length > 0 || wasQuoted) endRow();
  return rows;
}

/**
 * Returns the codes in a CSV file's text, in file order.
 *
 * The codes are in the column whose header is `options.column`, by default `code` or else `unique_code`,
 * so both a hand-written `code,...` file and the output of `klaviyo-coupons codes --csv`
 * (`coupon_id,unique_code,status,expires_at,profile_id`) are read as they are. Without such a header the
 * file has no header row and the codes are in the first column.
 *
 * Blank rows are skipped and cells are trimmed. A row whose code cell is empty, or a code that repeats
 * an earlier one (compared case-insensitively, as Klaviyo does), is an error naming both lines, so a
 * mistake in the file is reported before anything is sent to Klaviyo.
 *
 * @throws Error with the line number of the first problem.
 */
export function readCodesFromCsv(text: string, options: ReadCodesOptions = {}): string[] {
  const names = options.column === undefined ? DEFAULT_CODE_COLUMNS : [options.column];
  const rows = parseCsv(text).filter((row) => row.cells.some((c) => c.trim() !== ""));
  if (rows.length === 0) return [];
  const headers = rows[0].cells.map((c) => c.trim().toLowerCase());
  const headerIndex =
    names.map((name) => headers.indexOf(name.trim().toLowerCase())).find((i) => i >= 0) ?? -1;
  const column = headerIndex >= 0 ? headerIndex : 0;
  const codes: string[] = [];
  const firstSeen = new Map<string, number>();
  for (const row of headerIndex >= 0 ? rows.slice(1) : rows) {
    const code = (row.cells[column] ?? "").trim();
    if (code === "") throw new Error(`line ${row.line}: the code is empty`);
    const key = code.toLowerCase();
    const earlier = firstSeen.get(key);
    if (earlier !== undefined)
      throw new Error(`line ${row.line}: ${code} repeats the code on line ${earlier}`);
    firstSeen.set(key, row.line);
    codes.push(code);
  }
  return codes;
}
