/**
 * One HTTP attempt over axios, reporting whether the request may have reached the server.
 *
 * That bit decides whether a failed POST can be sent again: if the connection never opened, nothing was
 * sent; once it opened, the server may have received and processed the request even though no answer
 * came back.
 *
 * @packageDocumentation
 */
import axios, { type AxiosInstance } from "axios";
import * as http from "http";
import * as https from "https";
import * as tls from "tls";
import type { Socket } from "net";
import { MAX_TIMER_MS } from "./retryPolicy";

/** What a single attempt produced. */
export type AttemptResult =
  | { kind: "response"; status: number; statusText: string; headers: Record<string, unknown>; text: string }
  | { kind: "network"; sent: boolean; code: string; message: string };

/** Settings for {@link createTransport}. */
export interface TransportOptions {
  /** Headers sent on every request (including credentials). */
  headers: Record<string, string>;
  /** Per-attempt deadline for the whole exchange (at most 2^31-1 ms; longer is shortened to that). */
  timeoutMs: number;
}

/** Sends single HTTP attempts. */
export interface Transport {
  /**
   * Sends one request and never throws: failures come back as `{ kind: "network" }`.
   *
   * @param method - HTTP method.
   * @param url - Absolute URL.
   * @param body - JSON text, if any.
   */
  send(method: string, url: string, body: string | undefined): Promise<AttemptResult>;
  /** Closes pooled connections. */
  destroy(): void;
}

interface SendState {
  sent: boolean;
}

// A socket counts as "maybe sent" once it is usable: a reused socket immediately, a new one on connect
// (TLS: on handshake), since Node only flushes the request onto an open connection.
function watchSocket(socket: Socket, state: SendState): void {
  const isTls = socket instanceof tls.TLSSocket;
  if (!socket.connecting) {
    state.sent = true;
    return;
  }
  socket.once(isTls ? "secureConnect" : "connect", () => {
    state.sent = true;
  });
}

function trackingTransport(state: SendState) {
  return {
    request(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest {
      const base = options.protocol === "https:" ? https : http;
      const req = base.request(options, callback);
      req.once("socket", (socket: Socket) => watchSocket(socket, state));
      return req;
    },
  };
}

/** Connection pools: keep-alive ones for idempotent requests, fresh-connection ones for POSTs. */
interface Agents {
  keepAlive: { http: http.Agent; https: https.Agent };
  fresh: { http: http.Agent; https: https.Agent };
}

function createAgents(): Agents {
  return {
    keepAlive: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
    fresh: { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) },
  };
}

function createAxios(headers: Record<string, string>): AxiosInstance {
  return axios.create({
    headers,
    // Every status is handled by the retry layer; axios must not turn them into errors carrying headers.
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
  });
}

/** Aborts an attempt after `timeoutMs` and remembers that it did, so the failure can say so. */
interface Deadline {
  signal: AbortSignal;
  timedOut: boolean;
  clear(): void;
}

function startDeadline(timeoutMs: number): Deadline {
  const controller = new AbortController();
  const deadline: Deadline = { signal: controller.signal, timedOut: false, clear: () => clearTimeout(timer) };
  // Options cap timeoutMs at MAX_TIMER_MS; capped here too, as a longer timer would fire at once.
  const timer = setTimeout(
    () => {
      deadline.timedOut = true;
      controller.abort();
    },
    Math.min(timeoutMs, MAX_TIMER_MS),
  );
  return deadline;
}

function networkFailure(e: unknown, sent: boolean, timedOut: boolean, timeoutMs: number): AttemptResult {
  if (timedOut) {
    return { kind: "network", sent, code: "ETIMEDOUT", message: `no response within ${timeoutMs} ms` };
  }
  // Only the code and message are kept: the axios error holds the request config and its headers.
  const err = e as { code?: unknown; message?: unknown };
  return {
    kind: "network",
    sent,
    code: typeof err.code === "string" ? err.code : "ERR_NETWORK",
    message: typeof err.message === "string" ? err.message : "network error",
  };
}

async function sendOnce(
  client: AxiosInstance,
  agents: Agents,
  timeoutMs: number,
  req: { method: string; url: string; body: string | undefined },
): Promise<AttemptResult> {
  const state: SendState = { sent: false };
  const deadline = startDeadline(timeoutMs);
  // Idempotent requests reuse connections. POSTs always open a fresh one: on a reused keep-alive socket a
  // reset can mean either "server closed the idle socket before reading" or "server died mid-request", and
  // only a fresh connection lets us tell "never sent" from "maybe processed".
  const pool = req.method === "POST" ? agents.fresh : agents.keepAlive;
  try {
    const res = await client.request({
      method: req.method,
      url: req.url,
      data: req.body,
      signal: deadline.signal,
      httpAgent: pool.http,
      httpsAgent: pool.https,
      transport: trackingTransport(state),
    } as Parameters<AxiosInstance["request"]>[0]);
    return {
      kind: "response",
      status: res.status,
      statusText: typeof res.statusText === "string" ? res.statusText : "",
      headers: { ...(res.headers as Record<string, unknown>) },
      text: typeof res.data === "string" ? res.data : "",
    };
  } catch (e) {
    return networkFailure(e, state.sent, deadline.timedOut, timeoutMs);
  } finally {
    deadline.clear();
  }
}

/**
 * Builds the axios-based transport. Everything stateful (axios instance, agents) is created here, per
 * client, never at module load.
 *
 * @param options - Headers and timeout.
 */
export function createTransport(options: TransportOptions): Transport {
  const agents = createAgents();
  const client = createAxios(options.headers);
  return {
    send(method, url, body) {
      return sendOnce(client, agents, options.timeoutMs, { method, url, body });
    },
    destroy() {
      agents.keepAlive.http.destroy();
      agents.keepAlive.https.destroy();
      agents.fresh.http.destroy();
      agents.fresh.https.destroy();
    },
  };
}
