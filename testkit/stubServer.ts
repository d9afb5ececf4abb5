/** A scripted HTTP server for client tests that need behaviour the emulator does not offer. */
import * as http from "http";
import type { AddressInfo } from "net";

/** One request the stub received. */
export interface StubRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the stub does with a request. */
export type StubReply =
  { status: number; headers?: Record<string, string>; body?: unknown } | "hang" | "destroy";

/** A running stub server. */
export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** Starts a stub on 127.0.0.1 that answers each request with `reply(request, index)`. */
export async function startStub(reply: (req: StubRequest, index: number) => StubReply): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const r: StubRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(r);
      const out = reply(r, requests.length - 1);
      if (out === "hang") return;
      if (out === "destroy") {
        req.socket.destroy();
        return;
      }
      const text =
        out.body === undefined ? "" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
      res.writeHead(out.status, { "content-type": "application/vnd.api+json", ...out.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A JSON:API coupon resource as Klaviyo returns it. */
export function couponResource(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "coupon",
    id,
    attributes: { external_id: id, description: null, monitor_configuration: null, ...extra },
    links: { self: `https://a.klaviyo.com/api/coupons/${encodeURIComponent(id)}` },
  };
}

/** A 429 reply with the given raw `Retry-After` header, shaped like Klaviyo's throttling error. */
export function rateLimited(retryAfter: string): StubReply {
  return {
    status: 429,
    headers: { "Retry-After": retryAfter },
    body: {
      errors: [
        { id: "1", status: 429, code: "throttled", title: "Request was throttled.", detail: "Slow down." },
      ],
    },
  };
}
