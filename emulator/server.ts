/**
 * The HTTP layer (Node's `http` only): reads requests, routes `/__emulator/` to the control API and
 * everything else through faults and the API pipeline, writes responses, and logs API requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import { processApiRequest, trimTrailingSlash, type ApiResponse } from "./apiPipeline";
import { handleControlRequest } from "./controlHttp";
import { errorDocument, errorEntry } from "./failures";
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

/** Creates (but does not start) the HTTP server. */
export function createEmulatorServer(state: EmulatorState, control: EmulatorControl): EmulatorServer {
  let baseUrl = "";
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => finish(), ms), resolve };
      const finish = () => {
        delays.delete(entry);
        resolve();
      };
      entry.timer.unref();
      delays.add(entry);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        const body = errorDocument([errorEntry(500, `Internal emulator error: ${String(error)}`)]);
        send(res, { status: 500, headers: {}, body, operationId: "unknown" });
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? "" : target.slice(queryStart + 1);
    const method = (req.method ?? "GET").toUpperCase();
    if (rawPath.startsWith(CONTROL_PREFIX) || rawPath === "/__emulator") {
      const body = await readBody(req);
      const result = await handleControlRequest(control, method, rawPath, body ?? Buffer.alloc(0));
      res.writeHead(result.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(result.body));
      return;
    }
    const time = state.clock();
    state.log.requests++;
    const fault = state.faults.take(method, rawPath);
    if (fault && fault.latencyMs > 0) await delay(fault.latencyMs);
    const operationId = operationOf(method, rawPath);
    if (fault?.drop) {
      state.log.add({ method, path: rawPath, status: 0, time, operationId, dropped: true });
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    let response: ApiResponse;
    if (fault?.status !== undefined) {
      response = faultResponse(fault.status, fault.retryAfter, operationId);
    } else if (body === undefined) {
      const detail = `The request body exceeds ${MAX_BODY_BYTES} bytes.`;
      response = { status: 413, headers: {}, body: errorDocument([errorEntry(413, detail)]), operationId };
    } else {
      response = processApiRequest(state, { method, rawPath, rawQuery, headers: req.headers, body }, baseUrl);
    }
    const dropped = fault?.dropAfterProcessing === true;
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
    if (dropped) req.socket.destroy();
    else send(res, response);
  }

  return {
    server,
    setBaseUrl(url: string) {
      baseUrl = url;
    },
    clearDelays() {
      for (const entry of delays) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      delays.clear();
    },
  };
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
