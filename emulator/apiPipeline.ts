/**
 * The API request pipeline, independent of sockets: route -> auth -> revision -> rate limit -> body ->
 * query -> handler. It returns the response to send; the server decides whether to send it (faults).
 */
import type { IncomingHttpHeaders } from "http";
import { errorDocument, fail, invalidParameter, isApiFailure, type ApiFailure } from "./failures";
import { parseQuery } from "./query";
import { matchRoute } from "./routes";
import { Links, toUriSafe } from "./serialize";
import type { EmulatorState } from "./state";
import { msToMicros } from "./time";

/** A request as read from the socket. */
export interface ApiRequest {
  method: string;
  /** Raw (percent-encoded) path without the query string. */
  rawPath: string;
  /** Raw query string without the leading '?', possibly empty. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A response ready to be written. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for bodiless responses. */
  body?: unknown;
  operationId: string;
}

const REVISION = /^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9_-]+)?$/;
const JSON_TYPES = ["application/json", "application/vnd.api+json"];

/** Runs the pipeline for one API request. */
export function processApiRequest(state: EmulatorState, request: ApiRequest, base: string): ApiResponse {
  let operationId = "unknown";
  let headers: Record<string, string> = {};
  try {
    const segments = trimTrailingSlash(request.rawPath).split("/").slice(1);
    const match = matchRoute(request.method, segments);
    if (match.kind === "bad-path") throw fail(400, "The request path is not validly percent-encoded.");
    if (match.kind === "not-found") throw fail(404, `No API endpoint matches ${request.rawPath}.`);
    if (match.kind === "wrong-method") {
      throw fail(405, `Method ${request.method} is not allowed on ${request.rawPath}.`, {
        headers: { Allow: match.allowed.join(", ") },
      });
    }
    const { route, params } = match;
    operationId = route.operationId;
    const apiKey = authenticate(state, request.headers);
    checkRevision(request.headers);
    const decision = state.limiter.check(apiKey, route.tier);
    if (decision && !decision.allowed) {
      const per = decision.window === "second" ? "second" : "minute";
      throw fail(
        429,
        `Request was throttled: over ${decision.limit} requests per ${per} for this endpoint. Expected available in ${decision.retryAfter} second(s).`,
        { headers: { "Retry-After": String(decision.retryAfter) } },
      );
    }
    if (decision) headers = decision.headers;
    const body = route.method === "POST" || route.method === "PATCH" ? parseBody(request) : undefined;
    const query = parseQuery(new URLSearchParams(request.rawQuery), route.query);
    const selfUrl = toUriSafe(base + request.rawPath + (request.rawQuery ? `?${request.rawQuery}` : ""));
    const nowMicros = msToMicros(state.clock());
    const result = route.handler({ state, params, query, body, links: new Links(base), selfUrl, nowMicros });
    return { status: result.status, headers, body: result.body, operationId };
  } catch (error) {
    const failure: ApiFailure = isApiFailure(error)
      ? error
      : fail(500, `Internal emulator error: ${error instanceof Error ? error.message : String(error)}`);
    return {
      status: failure.apiStatus,
      headers: { ...headers, ...failure.headers },
      body: errorDocument(failure.entries),
      operationId,
    };
  }
}

/** Drops one trailing slash (`/api/coupons/` and `/api/coupons` are the same endpoint). */
export function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function authenticate(state: EmulatorState, headers: IncomingHttpHeaders): string {
  const header = headers.authorization;
  if (!header) {
    throw fail(401, "Missing private API key: send 'Authorization: Klaviyo-API-Key <key>'.");
  }
  const match = /^Klaviyo-API-Key\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw fail(401, "Malformed Authorization header: expected 'Klaviyo-API-Key <private key>'.", {
      code: "not_authenticated",
    });
  }
  if (!state.apiKeys.has(match[1])) {
    throw fail(401, "Incorrect authentication credentials: the private API key is not valid.", {
      code: "not_authenticated",
      title: "Incorrect authentication credentials.",
    });
  }
  return match[1];
}

function checkRevision(headers: IncomingHttpHeaders): void {
  const revision = headers.revision;
  if (revision === undefined) {
    throw invalidParameter(
      "revision",
      "The 'revision' header is required (for example 'revision: 2026-07-15').",
    );
  }
  if (typeof revision !== "string" || !REVISION.test(revision.trim())) {
    throw invalidParameter(
      "revision",
      `Invalid 'revision' header '${String(revision)}': expected YYYY-MM-DD, optionally followed by '.suffix'.`,
    );
  }
}

function parseBody(request: ApiRequest): unknown {
  const contentType = request.headers["content-type"];
  if (contentType !== undefined) {
    const mediaType = contentType.split(";")[0].trim().toLowerCase();
    if (!JSON_TYPES.includes(mediaType)) {
      throw fail(
        415,
        `Unsupported Content-Type '${contentType}'; use application/vnd.api+json or application/json.`,
      );
    }
  }
  const text = request.body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(400, `The request body is not valid JSON: ${(error as Error).message}`, {
      code: "parse_error",
      source: { pointer: "/" },
    });
  }
}
