/**
 * The single error shape of the Klaviyo client, built by a factory rather than an `Error` subclass so the
 * same check works across module copies (ts-node sources in tests, compiled `dist/` in the Pulumi host).
 *
 * @packageDocumentation
 */

/** One entry of a JSON:API `errors` array, as Klaviyo returns it (all keys optional: bodies vary). */
export interface KlaviyoErrorEntry {
  /** Klaviyo's machine-readable error code, e.g. `not_found`. */
  code?: string;
  /** Short human-readable summary. */
  title?: string;
  /** Human-readable explanation specific to this occurrence. */
  detail?: string;
  /** Where in the request the problem is. */
  source?: { pointer?: string; parameter?: string };
}

/**
 * A failed Klaviyo API call (HTTP error status, network failure, or an unusable response).
 *
 * Carries no request headers and no API key, so it is safe to log, print and serialize.
 */
export interface KlaviyoError extends Error {
  /** Always `"KlaviyoError"`. */
  name: "KlaviyoError";
  /** HTTP status of the last attempt; 0 when no response arrived (network failure, timeout). */
  status: number;
  /** Klaviyo error code of the first error entry, or a client code such as `network_error`. */
  code?: string;
  /** Short summary (first error entry's title, or the HTTP status text). */
  title: string;
  /** Explanation (first error entry's detail, or what went wrong locally). */
  detail: string;
  /** HTTP method of the failed request. */
  method: string;
  /** Request path relative to the base URL, without origin or query string. */
  path: string;
  /** All error entries from the response body (empty when the body had none). */
  errors: KlaviyoErrorEntry[];
  /** `Retry-After` from the last 429 response, in seconds, when the client gave up on rate limiting. */
  retryAfterSeconds?: number;
  /**
   * True when a non-idempotent request may or may not have taken effect (it was sent but no answer
   * arrived), so the caller must look before retrying.
   */
  outcomeUnknown?: boolean;
  /** Klaviyo operationId (snake_case, e.g. `create_coupon`) of the failed call, when known. */
  operationId?: string;
  /** Number of HTTP attempts made before giving up. */
  attempts?: number;
}

/** Fields accepted by {@link klaviyoError}. */
export interface KlaviyoErrorFields {
  /** See {@link KlaviyoError.status}. */
  status: number;
  /** See {@link KlaviyoError.code}. */
  code?: string;
  /** See {@link KlaviyoError.title}. */
  title: string;
  /** See {@link KlaviyoError.detail}. */
  detail: string;
  /** See {@link KlaviyoError.method}. */
  method: string;
  /** See {@link KlaviyoError.path}; an origin or query string is stripped. */
  path: string;
  /** See {@link KlaviyoError.errors}. */
  errors?: KlaviyoErrorEntry[];
  /** See {@link KlaviyoError.retryAfterSeconds}. */
  retryAfterSeconds?: number;
  /** See {@link KlaviyoError.outcomeUnknown}. */
  outcomeUnknown?: boolean;
  /** See {@link KlaviyoError.operationId}. */
  operationId?: string;
  /** See {@link KlaviyoError.attempts}. */
  attempts?: number;
}

// Symbol.for so that a brand set by one copy of this module is recognised by another copy.
const BRAND = Symbol.for("pulumi-klaviyo-coupons.KlaviyoError");

const SAFE_KEYS = [
  "name",
  "message",
  "status",
  "code",
  "title",
  "detail",
  "method",
  "path",
  "errors",
  "retryAfterSeconds",
  "outcomeUnknown",
  "operationId",
  "attempts",
] as const;

/** Strips an origin and a query string so messages never carry hosts' query parameters or full URLs. */
function barePath(path: string): string {
  let p = path;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(p);
  if (scheme) p = p.slice(scheme[0].length);
  const q = p.search(/[?#]/);
  if (q >= 0) p = p.slice(0, q);
  // Messages show API paths the way Klaviyo's documentation does: /api/coupons/X.
  return p.startsWith("/") ? p : "/" + p;
}

/**
 * Joins an error's title and detail into `<title>: <detail>` for one-line messages, without the doubled
 * wording Klaviyo's bodies would otherwise give: its titles end with a period (`Not found.`) and its
 * details often begin by repeating the title (`Incorrect authentication credentials.` then
 * `Incorrect authentication credentials: the private API key is not valid.`).
 *
 * - Trailing periods and colons of the title are dropped before the colon: `Not found: A coupon ...`.
 * - When the detail already starts with the title (case-insensitive, as a whole phrase), only the detail
 *   is kept: `Incorrect authentication credentials: the private API key is not valid.`
 * - An empty title or detail leaves just the other one, with no dangling colon.
 *
 * @example
 * ```ts
 * titleAndDetail("Not found.", "A coupon with id 'X' does not exist.");
 * // "Not found: A coupon with id 'X' does not exist."
 * ```
 *
 * @param title - Short summary, such as a JSON:API error title.
 * @param detail - Explanation, such as a JSON:API error detail.
 */
export function titleAndDetail(title: string, detail: string): string {
  const t = title.trim().replace(/[\s.:]+$/, "");
  const d = detail.trim();
  if (t === "") return d;
  if (d === "") return t;
  if (startsWithPhrase(d, t)) return d;
  return `${t}: ${d}`;
}

// Whole phrase only: a title "Conflict" must not swallow a detail that starts "Conflicting ...".
function startsWithPhrase(text: string, phrase: string): boolean {
  if (!text.toLowerCase().startsWith(phrase.toLowerCase())) return false;
  const next = text.charAt(phrase.length);
  return next === "" || !/[\p{L}\p{N}_]/u.test(next);
}

/**
 * Builds a {@link KlaviyoError}. The message is `Klaviyo <METHOD> <path> failed: <status> <title>: <detail>`,
 * with the title and detail joined by {@link titleAndDetail} (no trailing period on the title, no title
 * that the detail repeats, no dangling colon).
 *
 * @param fields - What failed and why; callers must not pass secrets.
 * @returns A fresh error whose `toJSON` lists only the documented fields.
 */
export function klaviyoError(fields: KlaviyoErrorFields): KlaviyoError {
  const method = fields.method.toUpperCase();
  const path = barePath(fields.path);
  const reason = titleAndDetail(fields.title, fields.detail);
  const message = `Klaviyo ${method} ${path} failed: ${fields.status}${reason === "" ? "" : ` ${reason}`}`;
  const err = new Error(message) as KlaviyoError;
  // Set before capturing the stack so the stack's first line names the error kind.
  Object.defineProperty(err, "name", {
    value: "KlaviyoError",
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(err, klaviyoError);
  err.status = fields.status;
  if (fields.code !== undefined) err.code = fields.code;
  err.title = fields.title;
  err.detail = fields.detail;
  err.method = method;
  err.path = path;
  err.errors = (fields.errors ?? []).map(copyEntry);
  if (fields.retryAfterSeconds !== undefined) err.retryAfterSeconds = fields.retryAfterSeconds;
  if (fields.outcomeUnknown !== undefined) err.outcomeUnknown = fields.outcomeUnknown;
  if (fields.operationId !== undefined) err.operationId = fields.operationId;
  if (fields.attempts !== undefined) err.attempts = fields.attempts;
  Object.defineProperty(err, BRAND, { value: true, enumerable: false });
  Object.defineProperty(err, "toJSON", {
    value: errorToJson,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return err;
}

/** Copies only the known keys, so whatever else a server put in an entry is not carried along. */
function copyEntry(e: KlaviyoErrorEntry): KlaviyoErrorEntry {
  const out: KlaviyoErrorEntry = {};
  if (typeof e.code === "string") out.code = e.code;
  if (typeof e.title === "string") out.title = e.title;
  if (typeof e.detail === "string") out.detail = e.detail;
  if (e.source && typeof e.source === "object") {
    const source: { pointer?: string; parameter?: string } = {};
    if (typeof e.source.pointer === "string") source.pointer = e.source.pointer;
    if (typeof e.source.parameter === "string") source.parameter = e.source.parameter;
    out.source = source;
  }
  return out;
}

function errorToJson(this: KlaviyoError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SAFE_KEYS) {
    const value = (this as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Tells whether a value is a {@link KlaviyoError} (from any copy of this module).
 *
 * @param e - Anything caught.
 */
export function isKlaviyoError(e: unknown): e is KlaviyoError {
  return (
    e instanceof Error &&
    (e as unknown as Record<symbol, unknown>)[BRAND] === true &&
    typeof (e as KlaviyoError).status === "number"
  );
}

/**
 * Replaces every occurrence of each secret in a text, so a server that echoes a credential back cannot
 * leak it into an error message.
 *
 * @param text - Text that may contain a secret.
 * @param secrets - Values to remove; empty strings are ignored.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // `includes` first: this runs on every response body, and almost none holds a secret.
  for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join("[REDACTED]");
  return out;
}
