/**
 * Wire helpers: query strings, paths relative to the base URL, and error bodies.
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import { schemas } from "./schemas";
import type { AttemptResult } from "./transport";

/**
 * Builds `?k=v&...`, leaving out undefined values.
 *
 * @param query - Parameters.
 */
export function buildQuery(query: Readonly<Record<string, string | undefined>> | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    // Brackets are encoded too (`page%5Bcursor%5D`): raw `[`/`]` are not valid in an RFC 3986 query.
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/**
 * The path of `url` relative to `baseUrl` (for messages and observers).
 *
 * @param url - Absolute URL under the base URL.
 * @param baseUrl - Base URL ending in `/`.
 */
export function relativePath(url: string, baseUrl: string): string {
  const u = new URL(url);
  const base = new URL(baseUrl);
  return u.pathname.startsWith(base.pathname) ? u.pathname.slice(base.pathname.length) : u.pathname;
}

/**
 * Reads the error fields of a non-2xx response: the first JSON:API error entry when there is one,
 * otherwise the status text and a short body snippet.
 *
 * @param res - The response.
 */
export function errorFieldsFromResponse(res: Extract<AttemptResult, { kind: "response" }>) {
  let body: unknown;
  try {
    body = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    body = undefined;
  }
  const parsed = schemas().errorBody.safeParse(body);
  const errors = parsed.success ? parsed.data.errors : [];
  const first = errors[0];
  const snippet = res.text.replace(/\s+/g, " ").trim().slice(0, 200);
  return {
    status: res.status,
    code: first?.code,
    title: first?.title || res.statusText || `HTTP ${res.status}`,
    detail: first?.detail || (parsed.success ? "no detail" : snippet || "empty response body"),
    errors,
  };
}

/**
 * Parses a 2xx body as JSON and checks it against `schema`.
 *
 * @param text - Response body.
 * @param schema - Expected document shape.
 * @param operationId - For the message.
 * @returns The parsed data, or a one-line detail of what is wrong (at most 5 schema issues).
 */
export function parseBody<S extends z.ZodType>(
  text: string,
  schema: S,
  operationId: string,
): { ok: true; data: z.output<S> } | { ok: false; detail: string } {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    return { ok: false, detail: "response body is not JSON" };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  return { ok: false, detail: `response does not match the ${operationId} schema: ${issues}` };
}
