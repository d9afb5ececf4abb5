/**
 * Coupon codes as text files: the CSV Klaviyo's UI imports (a `Coupon Code` column), the CSV
 * `klaviyo-coupons codes --csv` exports, CSV from a shop or point-of-sale system, and plain lists with one
 * code per line.
 *
 * Errors name a line number and what is wrong, never a code or any other cell: codes are secrets, and
 * the message of a failed program ends up in CI logs.
 *
 * @packageDocumentation
 */

/** The format {@link readCouponCodes} reads; see there. */
export type CouponCodesFormat = "auto" | "klaviyo" | "lines";

/** Options of {@link readCouponCodes}. */
export interface ReadCouponCodesOptions {
  /**
   * How the text is laid out (default `"auto"`):
   * - `"klaviyo"`: CSV with a header row; the codes are in the column named `Coupon Code` or `Coupon`
   *   (case-insensitive), Klaviyo's import format. Other columns are ignored.
   * - `"lines"`: one code per line, no header and no quoting; lines are trimmed, blank lines skipped.
   * - `"auto"`: CSV whose header row names `Coupon Code`, `Coupon`, `code` or `unique_code` (the column
   *   `klaviyo-coupons codes --csv` writes), in that order of preference; else, when the text holds no
   *   comma and no quote, `"lines"`; else CSV without a header row, with the codes in the first column.
   */
  format?: CouponCodesFormat;
  /**
   * Header of the column holding the codes, instead of the names `"auto"` looks for (compared
   * case-insensitively, trimmed). The first non-blank row must name it. Only with format `"auto"`.
   */
  column?: string;
}

/** Options of {@link writeCouponCodes}. */
export interface WriteCouponCodesOptions {
  /**
   * `"klaviyo"` (default): CSV in Klaviyo's import format, the header `Coupon Code` and one code per row.
   * `"lines"`: one code per line, no header.
   */
  format?: "klaviyo" | "lines";
  /**
   * Write the `Coupon Code` header row (default true). `false` writes the rows alone, to append to a
   * file already started (how `klaviyo-coupons codes` streams page by page). Ignored for `"lines"`.
   */
  header?: boolean;
}

/** The header {@link writeCouponCodes} writes: the first of the two Klaviyo's help center documents. */
const KLAVIYO_HEADER = "Coupon Code";
/** Headers of Klaviyo's import format, lower case, preferred first. */
const KLAVIYO_HEADERS = ["coupon code", "coupon"];
/** Headers `"auto"` recognizes: Klaviyo's, then a hand-written `code`, then the CLI's `unique_code`. */
const AUTO_HEADERS = [...KLAVIYO_HEADERS, "code", "unique_code"];
const READ_FORMATS: readonly string[] = ["auto", "klaviyo", "lines"];
const WRITE_FORMATS: readonly string[] = ["klaviyo", "lines"];

/** A parsed CSV row and the line it starts on (1-based), for error messages. */
interface CsvRow {
  line: number;
  cells: string[];
}

const QUOTING = "put the whole field in quotes and double the quotes inside it";

/**
 * Splits CSV text (RFC 4180) into rows of cells: quoted fields may hold commas, line breaks and doubled
 * quotes; CRLF, LF or CR line ends; spaces around a quoted field are ignored. Unquoted cells are
 * trimmed, quoted ones kept exactly, so a code written quoted because of its edge spaces reads back
 * unchanged.
 *
 * @throws Error naming the line of an unterminated quoted field, a quote inside an unquoted field, or
 *   text after a closing quote. The message holds no cell text.
 */
function parseCsv(input: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = "";
  // "closed": after the closing quote of a field, where only spaces and separators may follow.
  let state: "unquoted" | "quoted" | "closed" = "unquoted";
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const endCell = () => {
    cells.push(state === "closed" ? cell : cell.trim());
    cell = "";
    state = "unquoted";
  };
  const endRow = () => {
    endCell();
    rows.push({ line: rowLine, cells });
    cells = [];
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    const crlf = ch === "\r" && input[i + 1] === "\n";
    if (state === "quoted") {
      if (ch !== '"') cell += ch;
      else if (input[i + 1] === '"') cell += input[i++];
      else state = "closed";
      if (ch === "\n" || (ch === "\r" && !crlf)) line++;
    } else if (ch === ",") {
      endCell();
    } else if (ch === "\n" || ch === "\r") {
      if (crlf) i++;
      endRow();
      line++;
      rowLine = line;
    } else if (ch === '"') {
      if (state === "closed") throw new Error(`line ${line}: a quote after the closing quote of a field`);
      if (cell.trim() !== "") throw new Error(`line ${line}: a quote inside an unquoted field; ${QUOTING}`);
      state = "quoted";
      cell = "";
      quoteLine = line;
    } else if (state === "closed") {
      if (ch.trim() !== "")
        throw new Error(`line ${line}: text after the closing quote of a field; ${QUOTING}`);
    } else {
      cell += ch;
    }
  }
  if (state === "quoted") throw new Error(`line ${quoteLine}: a quoted field is not closed`);
  // A last line without a line break is still a row; the empty tail after a final line break is not.
  if (cell !== "" || cells.length > 0 || state === "closed") endRow();
  return rows;
}

function isBlank(row: CsvRow): boolean {
  return row.cells.every((c) => c.trim() === "");
}

/** Index of the first of `names` (lower case, preference order) among the row's cells, or -1. */
function headerIndex(row: CsvRow, names: readonly string[]): number {
  const headers = row.cells.map((c) => c.trim().toLowerCase());
  for (const name of names) {
    const index = headers.indexOf(name);
    if (index >= 0) return index;
  }
  return -1;
}

function codesInColumn(rows: readonly CsvRow[], column: number): string[] {
  const position = `column ${column + 1}`;
  return rows.map((row) => {
    const { line, cells } = row;
    if (cells.length <= column) {
      const count = cells.length === 1 ? "1 cell" : `${cells.length} cells`;
      throw new Error(`line ${line}: the row has ${count}, but the codes are in ${position}`);
    }
    if (cells[column].trim() === "") throw new Error(`line ${line}: the code (${position}) is empty`);
    return cells[column];
  });
}

function readLines(input: string): string[] {
  return input
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function checkReadOptions(format: string, column: string | undefined): void {
  if (!READ_FORMATS.includes(format)) {
    throw new TypeError(`format must be "auto", "klaviyo" or "lines" (got ${JSON.stringify(format)})`);
  }
  if (column === undefined) return;
  if (typeof column !== "string" || column.trim() === "") throw new TypeError("column must be a header name");
  // "klaviyo" fixes the header and "lines" has none: a column there would be silently ignored.
  if (format !== "auto") throw new TypeError(`column cannot be combined with format "${format}"`);
}

/**
 * Reads coupon codes from the text of a CSV file or a one-code-per-line list, in file order.
 *
 * Klaviyo's help center ("How to Use Coupon Codes in Klaviyo", uploading unique coupons) documents one
 * thing about the file its UI imports: a column whose header is `Coupon Code` or `Coupon`, each code
 * unique. No other header is documented, so `"klaviyo"` accepts those two and ignores other columns.
 * See {@link ReadCouponCodesOptions.format} for the three formats; the default `"auto"` reads Klaviyo's
 * files, exports of `klaviyo-coupons codes --csv`, files with a `code` column, headerless CSV and plain
 * lists. In `"auto"`, a list whose first code is literally one of those header names is taken to have a
 * header row: read such a list with `format: "lines"`.
 *
 * CSV follows RFC 4180 (quoted fields with commas, line breaks and `""`; CRLF, LF or CR line ends); a
 * leading byte-order mark is ignored, blank rows are skipped, unquoted cells are trimmed and quoted
 * cells kept exactly, so whatever {@link writeCouponCodes} wrote reads back unchanged.
 *
 * Codes repeated in the file are returned as they are: `CouponCodeBatch` reports duplicates by index.
 *
 * @param text - The file's text (decode it as UTF-8: `fs.readFileSync(file, "utf8")`).
 * @param options - The format, or the header of the code column.
 * @returns The codes; `[]` for an empty file or a header row alone.
 * @throws Error naming the line and the problem (a quoted field not closed, a quote inside an unquoted
 *   field, no code column in the header row, a row too short for the code column, an empty code). The
 *   message never holds a code or any other cell text, so it is safe to print in CI logs.
 * @throws TypeError for an unknown format, or `column` with a format other than `"auto"`.
 */
export function readCouponCodes(text: string, options: ReadCouponCodesOptions = {}): string[] {
  const format = options.format ?? "auto";
  checkReadOptions(format, options.column);
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (format === "lines") return readLines(input);
  const rows = parseCsv(input).filter((row) => !isBlank(row));
  if (rows.length === 0) return [];
  const column = options.column?.trim().toLowerCase();
  const names = column !== undefined ? [column] : format === "klaviyo" ? KLAVIYO_HEADERS : AUTO_HEADERS;
  const index = headerIndex(rows[0], names);
  if (index >= 0) return codesInColumn(rows.slice(1), index);
  if (format === "klaviyo") {
    throw new Error(`line ${rows[0].line}: the header row has no "Coupon Code" or "Coupon" column`);
  }
  if (column !== undefined) {
    // The name comes from the program, not from the file, so it may be shown.
    throw new Error(
      `line ${rows[0].line}: the header row has no column named ${JSON.stringify(options.column)}`,
    );
  }
  if (!/[",]/.test(input)) return readLines(input);
  return codesInColumn(rows, 0);
}

/**
 * Quotes a CSV field when RFC 4180 requires it (comma, quote, CR or LF), and when it has edge spaces,
 * which some readers trim; quotes are doubled. The one quoting rule of the package and its CLI.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes coupon codes as text {@link readCouponCodes} reads back exactly.
 *
 * `"klaviyo"` (default) is the CSV Klaviyo's UI imports (see {@link readCouponCodes}): the header
 * `Coupon Code`, then one code per row, quoted only when it holds a comma, a quote, a line break or
 * edge spaces. Rows end in CRLF, the line end of RFC 4180 and of spreadsheet tools; no byte-order mark.
 * `"lines"` writes one code per line, each ending in LF.
 *
 * Codes are written in the order given, repeated ones too (Klaviyo rejects duplicates at import).
 *
 * @param codes - The codes.
 * @param options - The format, and whether to write the header row.
 * @returns The text, ending with a line end (only the header for no codes in `"klaviyo"`).
 * @throws Error naming the index of an empty (or blank) code, or, for `"lines"`, of a code holding a
 *   line break or edge spaces, which a list cannot carry; never the code itself.
 * @throws TypeError for an unknown format.
 */
export function writeCouponCodes(codes: readonly string[], options: WriteCouponCodesOptions = {}): string {
  const format = options.format ?? "klaviyo";
  if (!WRITE_FORMATS.includes(format)) {
    throw new TypeError(`format must be "klaviyo" or "lines" (got ${JSON.stringify(format)})`);
  }
  codes.forEach((code, i) => {
    if (typeof code !== "string" || code.trim() === "") throw new Error(`codes[${i}] is empty`);
    if (format === "lines" && (/[\r\n]/.test(code) || code !== code.trim())) {
      throw new Error(
        `codes[${i}] cannot be written one per line: it holds a line break or edge spaces; use format "klaviyo"`,
      );
    }
  });
  if (format === "lines") return codes.map((code) => `${code}\n`).join("");
  const rows = options.header === false ? [] : [KLAVIYO_HEADER];
  for (const code of codes) rows.push(csvField(code));
  return rows.map((row) => `${row}\r\n`).join("");
}
