/**
 * The Markdown of `klaviyo-coupons review`: cell formatting that keeps a GitHub table intact, and the
 * layout of a {@link Review} (heading, changes table, stock table, warnings, footnotes).
 *
 * @packageDocumentation
 */
import { cellText, count } from "../format";
import { NOT_KNOWN, type Maybe } from "./previewTypes";

/** What an unknown preview value prints as. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

/** What an empty cell prints as. */
export const NONE = "—";

/** One row of the changes table, every cell already Markdown. */
export interface ReviewRow {
  /** Resource type and name. */
  resource: string;
  /** Coupon id, or `old → new`. */
  coupon: string;
  /** create, update, replace, delete, or the engine's operation. */
  action: string;
  /** Codes the change adds. */
  added: string;
  /** Codes the change removes. */
  removed: string;
  /** Codes declared after the change. */
  after: string;
  /** Expiry, or `old → new`. */
  expiry: string;
  /** Delete policy, or `old → new`. */
  policy: string;
  /** Explanations, joined with "; ". */
  notes: string[];
}

/** One row of the stock table (`--live` only). */
export interface StockRow {
  /** Coupon id. */
  coupon: string;
  /** Unassigned codes now. */
  now: string;
  /** Unassigned codes after the change (a range when held codes are uncertain). */
  after: string;
  /** The coupon's lowBalanceThreshold. */
  threshold: string;
  /** Held codes now. */
  held: string;
}

/** A warning; dangerous ones make the command exit 4. */
export interface Finding {
  /** Whether the change is dangerous (exit 4). */
  dangerous: boolean;
  /** Markdown text. */
  text: string;
}

/** Everything the review prints. */
export interface Review {
  /** Stack name, when the preview names one. */
  stack: string | null;
  /** Whether Klaviyo was read (`--live`). */
  live: boolean;
  /** One per changed Coupon and CouponCodeBatch. */
  rows: ReviewRow[];
  /** Stock per coupon (`--live` only). */
  stock: StockRow[];
  /** Warnings, dangerous first when rendered. */
  findings: Finding[];
  /** Closing remarks (where the figures come from). */
  footnotes: string[];
}

/**
 * An identifier as an inline code span that survives a table: control characters become spaces and
 * `|` is escaped (GitHub splits cells on it even inside code spans).
 *
 * @param text - A resource name or coupon id (never a code).
 */
export function code(text: string): string {
  const clean = cellText(text).replace(/\|/g, "\\|");
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

/**
 * A count for a cell: `(known after apply)` for unknown, `?` when the state cannot tell.
 *
 * @param value - A count, null (cannot tell), unknown, or undefined (not applicable).
 */
export function num(value: Maybe<number | null> | undefined): string {
  if (value === NOT_KNOWN) return KNOWN_AFTER_APPLY;
  if (value === null) return "?";
  if (value === undefined) return NONE;
  return count(value);
}

/**
 * An optional text value for a cell: unknown, `none` for null, the text as a code span otherwise.
 *
 * @param value - The value.
 */
export function text(value: Maybe<string | null> | undefined): string {
  if (value === NOT_KNOWN) return KNOWN_AFTER_APPLY;
  if (value === undefined) return NONE;
  return value === null ? "none" : code(value);
}

/**
 * `old → new` when a value changes, else the value alone.
 *
 * @param before - Value before (undefined: the resource is created).
 * @param after - Value after (undefined: the resource is deleted).
 * @param format - Renders one value.
 */
export function change<T>(
  before: T | undefined,
  after: Maybe<T> | undefined,
  format: (v: Maybe<T> | undefined) => string,
): string {
  if (before === undefined) return format(after);
  if (after === undefined || after === before) return format(before);
  return `${format(before)} → ${format(after)}`;
}

const HEADERS = [
  "Resource",
  "Coupon",
  "Action",
  "Codes added",
  "Codes removed",
  "Codes after",
  "Expiry",
  "Delete policy",
  "Notes",
];

function tableLine(cells: readonly string[]): string {
  // Notes are built here, not typed by a user, but a stray newline would still end the table.
  return `| ${cells.map((c) => cellText(c)).join(" | ")} |\n`;
}

function table(headers: readonly string[], rows: readonly string[][], right: ReadonlySet<number>): string {
  const rule = headers.map((_, i) => (right.has(i) ? "--:" : "---"));
  return tableLine(headers) + tableLine(rule) + rows.map(tableLine).join("");
}

function summary(rows: readonly ReviewRow[]): string {
  const byAction = new Map<string, number>();
  for (const row of rows) byAction.set(row.action, (byAction.get(row.action) ?? 0) + 1);
  return [...byAction].map(([action, n]) => `${n} to ${action}`).join(", ");
}

/**
 * Renders a review as GitHub-flavoured Markdown.
 *
 * @param review - What to print.
 */
export function renderReview(review: Review): string {
  const where = review.stack === null ? "" : ` on stack ${code(review.stack)}`;
  let out = `### Klaviyo coupon changes${where}\n\n`;
  if (review.rows.length === 0) {
    out += "No `Coupon` or `CouponCodeBatch` changes.\n";
  } else {
    out += `${summary(review.rows)}.\n\n`;
    const rows = review.rows.map((r) => [
      ...[r.resource, r.coupon, r.action, r.added, r.removed, r.after, r.expiry, r.policy],
      r.notes.join("; ") || NONE,
    ]);
    out += table(HEADERS, rows, new Set([3, 4, 5]));
  }
  if (review.stock.length > 0) {
    out += "\n#### Unassigned stock (Klaviyo now)\n\n";
    const rows = review.stock.map((s) => [s.coupon, s.now, s.after, s.threshold, s.held]);
    const headers = ["Coupon", "Unassigned now", "Unassigned after", "lowBalanceThreshold", "Held now"];
    out += table(headers, rows, new Set([1, 2, 3, 4]));
  }
  const findings = [
    ...review.findings.filter((f) => f.dangerous),
    ...review.findings.filter((f) => !f.dangerous),
  ];
  if (findings.length > 0) {
    out += "\n#### Warnings\n\n";
    out += findings.map((f) => `- ${f.dangerous ? "**Dangerous:** " : ""}${f.text}\n`).join("");
  }
  if (review.footnotes.length > 0) out += "\n" + review.footnotes.map((f) => `_${f}_\n`).join("\n");
  return out;
}
