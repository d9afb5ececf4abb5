/**
 * JSON:API error construction. Handlers throw {@link ApiFailure} values (plain `Error`s carrying an HTTP
 * status and error entries) and the request pipeline turns them into `{"errors":[...]}` bodies.
 */
import { randomUUID } from "crypto";

/** Where an error came from: a JSON pointer into the request body or a query parameter name. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

/** One entry of a JSON:API `errors` array, in the shape Klaviyo's API returns. */
export interface ApiErrorEntry {
  id: string;
  status: number;
  code: string;
  title: string;
  detail: string;
  source?: ErrorSource;
  links: Record<string, never>;
  meta: Record<string, unknown>;
}

/** An `Error` that the pipeline renders as a JSON:API error response. */
export interface ApiFailure extends Error {
  apiStatus: number;
  entries: ApiErrorEntry[];
  headers: Record<string, string>;
}

const TITLES: Record<number, string> = {
  400: "Invalid input.",
  401: "Authentication credentials were not provided.",
  403: "You do not have permission to perform this action.",
  404: "Not found.",
  405: "Method not allowed.",
  409: "Conflict.",
  413: "Request entity too large.",
  415: "Unsupported media type.",
  429: "Request was throttled.",
  500: "A server error occurred.",
  502: "Bad gateway.",
  503: "Service unavailable.",
  504: "Gateway timeout.",
};

const DEFAULT_CODES: Record<number, string> = {
  400: "invalid",
  401: "not_authenticated",
  403: "permission_denied",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "request_too_large",
  415: "unsupported_media_type",
  429: "throttled",
  500: "error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

/** The conventional title for an HTTP status. */
export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "A server error occurred." : "Request failed.");
}

/** The conventional error `code` for an HTTP status. */
export function codeFor(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? "error" : "invalid");
}

/** Builds a single error entry with a fresh id. */
export function errorEntry(
  status: number,
  detail: string,
  options: { code?: string; title?: string; source?: ErrorSource; meta?: Record<string, unknown> } = {},
): ApiErrorEntry {
  const entry: ApiErrorEntry = {
    id: randomUUID(),
    status,
    code: options.code ?? codeFor(status),
    title: options.title ?? titleFor(status),
    detail,
    links: {},
    meta: options.meta ?? {},
  };
  if (options.source) entry.source = options.source;
  return entry;
}

/** Creates a throwable failure with one error entry. */
export function fail(
  status: number,
  detail: string,
  options: {
    code?: string;
    title?: string;
    source?: ErrorSource;
    meta?: Record<string, unknown>;
    headers?: Record<string, string>;
  } = {},
): ApiFailure {
  const failure = new Error(detail) as ApiFailure;
  failure.apiStatus = status;
  failure.entries = [errorEntry(status, detail, options)];
  failure.headers = options.headers ?? {};
  return failure;
}

/** A 400 about the request body, pointing at `pointer` (for example `/data/attributes/unique_code`). */
export function invalidBody(pointer: string, detail: string): ApiFailure {
  return fail(400, detail, { source: { pointer } });
}

/** A 400 about a query parameter (for example `filter` or `page[size]`). */
export function invalidParameter(parameter: string, detail: string): ApiFailure {
  return fail(400, detail, { source: { parameter } });
}

/** A 404 for an unknown resource id. */
export function notFound(detail: string): ApiFailure {
  return fail(404, detail);
}

/** True when `value` was produced by {@link fail}. */
export function isApiFailure(value: unknown): value is ApiFailure {
  return value instanceof Error && typeof (value as Partial<ApiFailure>).apiStatus === "number";
}

/** The JSON:API error document for a failure. */
export function errorDocument(entries: ApiErrorEntry[]): { errors: ApiErrorEntry[] } {
  return { errors: entries };
}
