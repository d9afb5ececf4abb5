/**
 * HTTP form of the control API under `/__emulator/` (JSON in, JSON out, no auth, no rate limits, not
 * counted as API requests). Errors are `{"error": "<message>"}` with status 400 (or 404 for unknown routes).
 */
import type { EmulatorControl } from "./types";

/** A control response. */
export interface ControlResult {
  status: number;
  body: unknown;
}

type Handler = (control: EmulatorControl, body: any, params: string[]) => unknown;

interface ControlRoute {
  method: string;
  pattern: RegExp;
  status: number;
  handler: Handler;
}

// Control operations that return nothing answer {"ok": true}.
function ok(action: () => void): { ok: true } {
  action();
  return { ok: true };
}

const ROUTES: ControlRoute[] = [
  { method: "POST", pattern: /^\/reset$/, status: 200, handler: (c) => ok(() => c.reset()) },
  { method: "POST", pattern: /^\/ui-coupons$/, status: 201, handler: (c, body) => c.seedUiCoupon(body) },
  {
    method: "POST",
    pattern: /^\/codes\/([^/]+)\/assign$/,
    status: 200,
    handler: (c, body, [id]) => ok(() => c.assignCode(id, body?.profileId)),
  },
  {
    method: "POST",
    pattern: /^\/codes\/([^/]+)\/use$/,
    status: 200,
    handler: (c, _body, [id]) => ok(() => c.markCodeUsed(id)),
  },
  { method: "POST", pattern: /^\/faults$/, status: 201, handler: (c, body) => ok(() => c.injectFault(body)) },
  { method: "DELETE", pattern: /^\/faults$/, status: 200, handler: (c) => ok(() => c.clearFaults()) },
  {
    method: "POST",
    pattern: /^\/job-outcomes$/,
    status: 201,
    handler: (c, body) => ok(() => c.setJobOutcome(body)),
  },
  {
    method: "PATCH",
    pattern: /^\/config$/,
    status: 200,
    handler: (c, body) => {
      c.configure(body);
      return c.settings();
    },
  },
  { method: "GET", pattern: /^\/config$/, status: 200, handler: (c) => c.settings() },
  { method: "GET", pattern: /^\/counts$/, status: 200, handler: (c) => c.counts() },
  { method: "GET", pattern: /^\/requests$/, status: 200, handler: (c) => c.requestLog() },
  { method: "DELETE", pattern: /^\/requests$/, status: 200, handler: (c) => ok(() => c.resetRequestLog()) },
  {
    method: "POST",
    pattern: /^\/wait-for-jobs$/,
    status: 200,
    handler: async (c, body) => {
      await c.waitForJobs(body?.timeoutMs);
      return { ok: true };
    },
  },
];

/** Dispatches one control request; `rawPath` starts with `/__emulator`. */
export async function handleControlRequest(
  control: EmulatorControl,
  method: string,
  rawPath: string,
  rawBody: Buffer,
): Promise<ControlResult> {
  const path = rawPath.slice("/__emulator".length).replace(/\/$/, "");
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match || route.method !== method) continue;
    try {
      const params = match.slice(1).map((segment) => decodeURIComponent(segment));
      const text = rawBody.toString("utf8");
      const body: unknown = text.trim() === "" ? undefined : JSON.parse(text);
      return { status: route.status, body: await route.handler(control, body, params) };
    } catch (error) {
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }
  return { status: 404, body: { error: `No control operation ${method} ${rawPath}.` } };
}
