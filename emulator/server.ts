/**
 * The HTTP layer (Node's `http` only): reads requests, routes `/__emulator/` to the control API and
 * everything else through faults and the API pipeline, writes responses, and logs API requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import { processApiRequest, trimTrailingSlash, type ApiResponse } from "./apiPipeline";
import { handleControlRequest } from "./controlHttp";
import { errorDocument, errorEntry } from "./failures";
import type { FaultEffect } from "./faults";
import { matchRoute } from "./routes";
import type { EmulatorState } from "./state";
import type { EmulatorControl, ResponseInfo } from "./types";

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const CONTROL_PREFIX = "/__emulator/";

/** The server plus what `close()` must clean up. */
export interface EmulatorServer {
  server: Server;
  /** Set once the port is known, so links are absolute on the real base URL. */
  setBaseUrl(url: string): void;
  /** Cancels pending fault delays. */
  clearDelays(): void;
}

/** What a request handler needs besides the request. */
interface ServerContext {
  state: EmulatorState;
  control: EmulatorControl;
  /** Origin the API's links are made absolute on; empty until the port is known. */
  baseUrl(): string;
  /** Waits `ms`, unless the pending delays are cleared first. */
  delay(ms: number): Promise<void>;
}

/** The parts of a request's target and method the handlers route on. */
interface RequestLine {
  method: string;
  /** Raw (percent-encoded) path without the query string. */
  rawPath: string;
  /** Raw query string without the leading '?', possibly empty. */
  rawQuery: string;
}

/** Creates (but does not start) the HTTP server. */
export function createEmulatorServer(state: EmulatorState, control: EmulatorControl): EmulatorServer {
  let baseUrl = "";
  const delays = createDelays();
  const context: ServerContext = { state, control, baseUrl: () => baseUrl, delay: delays.delay };
  const server = createServer((req, res) => {
    handle(context, req, res).catch((error: unknown) => answerCrash(res, error));
  });
  return {
    server,
    setBaseUrl(url: string) {
      baseUrl = url;
    },
    clearDelays() {
      delays.clear();
    },
  };
}

// Fault latencies are timers; close() must not wait for them, so they can be cut short together.
function createDelays(): { delay(ms: number): Promise<void>; clear(): void } {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    delay: (ms: number) =>
      new Promise<void>((resolve) => {
        const entry = { timer: setTimeout(() => finish(), ms), resolve };
        const finish = () => {
          pending.delete(entry);
          resolve();
        };
        entry.timer.unref();
        pending.add(entry);
      }),
    clear() {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}

function answerCrash(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) {
    const body = errorDocument([errorEntry(500, `Internal emulator error: ${String(error)}`)]);
    send(res, { status: 500, headers: {}, body, operationId: "unknown" });
  } else {
    res.destroy();
  }
}

async function handle(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const line = requestLine(req);
  if (line.rawPath.startsWith(CONTROL_PREFIX) || line.rawPath === "/__emulator") {
    await handleControl(context.control, req, res, line);
  } else {
    await handleApi(context, req, res, line);
  }
}

function requestLine(req: IncomingMessage): RequestLine {
  const target = req.url ?? "/";
  const queryStart = target.indexOf("?");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    rawPath: queryStart < 0 ? target : target.slice(0, queryStart),
    rawQuery: queryStart < 0 ? "" : target.slice(queryStart + 1),
  };
}

async function handleControl(
  control: EmulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  { method, rawPath }: RequestLine,
): Promise<void> {
  const body = await readBody(req);
  const result = await handleControlRequest(control, method, rawPath, body ?? Buffer.alloc(0));
  res.writeHead(result.status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(result.body));
}

async function handleApi(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  line: RequestLine,
): Promise<void> {
  const { state } = context;
  const { method, rawPath } = line;
  const time = state.clock();
  state.log.requests++;
  const fault = state.faults.take(method, rawPath);
  if (fault && fault.latencyMs > 0) await context.delay(fault.latencyMs);
  const operationId = operationOf(method, rawPath);
  if (fault?.drop) {
    state.log.add({ method, path: rawPath, status: 0, time, operationId, dropped: true });
    req.socket.destroy();
    return;
  }
  const body = await readBody(req);
  const response = apiResponse(context, req, line, body, fault, operationId);
  const dropped = fault?.dropAfterProcessing === true;
  logResponse(state, line, time, response, dropped);
  if (dropped) req.socket.destroy();
  else send(res, response);
}

// An injected status wins over everything, then an oversized body, before the real pipeline runs.
function apiResponse(
  context: ServerContext,
  req: IncomingMessage,
  { method, rawPath, rawQuery }: RequestLine,
  body: Buffer | undefined,
  fault: FaultEffect | undefined,
  operationId: string,
): ApiResponse {
  if (fault?.status !== undefined) return faultResponse(fault.status, fault.retryAfter, operationId);
  if (body === undefined) {
    const detail = `The request body exceeds ${MAX_BODY_BYTES} bytes.`;
    return { status: 413, headers: {}, body: errorDocument([errorEntry(413, detail)]), operationId };
  }
  const request = { method, rawPath, rawQuery, headers: req.headers, body };
  return processApiRequest(context.state, request, context.baseUrl());
}

function logResponse(
  state: EmulatorState,
  { method, rawPath, rawQuery }: RequestLine,
  time: number,
  response: ApiResponse,
  dropped: boolean,
): void {
  state.log.add({
    method,
    path: rawPath,
    status: response.status,
    time,
    operationId: response.operationId,
    ...(dropped ? { dropped } : {}),
  });
  notify(state, {
    operationId: response.operationId,
    status: response.status,
    body: response.body,
    method,
    path: rawPath,
    query: rawQuery,
  });
}

function operationOf(method: string, rawPath: string): string {
  const match = matchRoute(method, trimTrailingSlash(rawPath).split("/").slice(1));
  return match.kind === "found" ? match.route.operationId : "unknown";
}

function faultResponse(status: number, retryAfter: number | undefined, operationId: string): ApiResponse {
  const headers: Record<string, string> = {};
  const seconds = retryAfter ?? (status === 429 ? 1 : undefined);
  if (seconds !== undefined) headers["Retry-After"] = String(Math.ceil(seconds));
  const body = errorDocument([errorEntry(status, `Injected fault: the emulator answered ${status}.`)]);
  return { status, headers, body, operationId };
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (response.body === undefined) {
    res.writeHead(response.status, response.headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    "Content-Type": "application/vnd.api+json",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

// Resolves undefined when the body is too large; the rest of it is drained so a 413 can still be sent.
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// A throwing test hook must not turn into a different HTTP response, so it only raises a warning.
function notify(state: EmulatorState, info: ResponseInfo): void {
  try {
    state.onResponse?.(info);
  } catch (error) {
    process.emitWarning(
      `emulator onResponse hook threw: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
