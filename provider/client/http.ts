/**
 * Request execution: rate limiting, retries, error mapping and response parsing.
 *
 * Retry policy:
 * - 429: wait `Retry-After` seconds (or a backoff when absent), hold the whole tier back for that long,
 *   and try again; these do not use up `maxAttempts`, only the separate, generous `maxRateLimitRetries`.
 *   A `Retry-After` above `maxWaitMs` fails the request at once instead of waiting.
 * - 5xx and network failures: exponential backoff with full jitter, at most `maxAttempts` attempts.
 * - A POST that may have reached the server (connection opened, then no answer; or a gateway timeout
 *   status) is never re-sent: it fails with `outcomeUnknown: true` so the caller can look first.
 * - Other statuses fail at once.
 * - No single wait exceeds `maxWaitMs`, and a request whose retry waits would add up to more than
 *   `maxTotalWaitMs` fails instead of waiting. `onWait` hears of every wait before it starts.
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import { klaviyoError, redact, type KlaviyoError } from "./errors";
import type { Operation, RateLimitTier } from "./operations";
import { scaledTierLimit, type RateLimiter, type TierLimit } from "./rateLimiter";
import { decide, type AttemptState, type Decision, type FailureFields } from "./retryDecisions";
import { sleep as defaultSleep } from "./retryPolicy";
import type { AttemptResult, Transport } from "./transport";
import { defaultOnWait, displayPath, refuseWait, waitMessage, type WaitInfo } from "./waits";
import type { RequestInfo, RetrySettings } from "./clientTypes";
import { buildQuery, parseBody, relativePath } from "./wire";

/** What {@link KlaviyoHttp.request} sends. */
export interface RequestSpec {
  /** The operation (method, tier, operationId). */
  op: Operation;
  /** Path relative to the base URL, ids already encoded, no query string. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Readonly<Record<string, string | undefined>>;
  /** JSON body. */
  body?: unknown;
  /** Absolute same-origin URL to request instead of `path` + `query` (a `links.next` without a cursor). */
  url?: string;
}

/** Dependencies of {@link createHttp}. */
export interface HttpSettings {
  /** Base URL ending in `/`. */
  baseUrl: string;
  /** Secrets to scrub from anything that ends up in an error. */
  secrets: string[];
  /** Transport doing single attempts. */
  transport: Transport;
  /** Shared limiter, or undefined when rate limiting is off. */
  limiter: RateLimiter | undefined;
  /** Multiplier of the tier limits. */
  scale: number;
  /** Retry settings. */
  retry: RetrySettings;
  /** Observer called after each attempt; its exceptions are ignored. */
  onRequest?: (info: RequestInfo) => void;
  /** Told before every retry wait; its exceptions are ignored. Default: `defaultOnWait` (waits over 5 s). */
  onWait?: (info: WaitInfo) => void;
  /** Sleep function (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/** Executes requests with limits and retries. */
export interface KlaviyoHttp {
  /**
   * Sends a request and parses a 2xx body with `schema` (no schema: body ignored).
   *
   * @throws KlaviyoError on any failure.
   */
  request<S extends z.ZodType>(spec: RequestSpec, schema?: S): Promise<z.output<S>>;
}

type ResponseResult = Extract<AttemptResult, { kind: "response" }>;

/** One request in flight: its spec, its path relative to the base URL (for messages) and its counters. */
interface Call {
  spec: RequestSpec;
  path: string;
  st: AttemptState;
}

/** Settings with defaults applied, plus per-client state. */
interface Core extends HttpSettings {
  sleep: (ms: number) => Promise<void>;
  onWait: (info: WaitInfo) => void;
  limitFor: (tier: RateLimitTier) => TierLimit;
}

/** Builds the error of a failed call, with every secret scrubbed from what the server sent. */
function fail(core: Core, call: Call, f: FailureFields): KlaviyoError {
  const s = (t: string) => redact(t, core.secrets);
  return klaviyoError({
    ...f,
    title: s(f.title),
    detail: s(f.detail),
    code: f.code === undefined ? undefined : s(f.code),
    errors: f.errors?.map((e) => ({
      ...e,
      title: e.title === undefined ? undefined : s(e.title),
      detail: e.detail === undefined ? undefined : s(e.detail),
    })),
    method: call.spec.op.method,
    path: s(call.path),
    operationId: call.spec.op.operationId,
    attempts: call.st.attempt,
  });
}

/** Calls an observer; what it throws must not change the outcome of a request. */
function observe<T>(observer: ((info: T) => void) | undefined, info: T): void {
  if (!observer) return;
  try {
    observer(info);
  } catch {
    // Ignored on purpose.
  }
}

/** Waits before the next attempt, or throws when the caps refuse the wait. */
async function waitForRetry(core: Core, call: Call, d: Decision & { kind: "retry" }): Promise<void> {
  const { op } = call.spec;
  const { st } = call;
  const refusal = refuseWait(d.waitMs, st.waitedMs, core.retry, d.retryAfter !== undefined);
  if (refusal) {
    throw fail(core, call, {
      ...d.fields,
      detail: `${d.fields.detail} (${refusal})`,
      retryAfterSeconds: d.retryAfter,
    });
  }
  const w = {
    reason: d.retryAfter !== undefined ? ("retry-after" as const) : ("backoff" as const),
    status: d.fields.status,
    ...(d.fields.status === 0 && d.fields.code !== undefined ? { code: d.fields.code } : {}),
    method: op.method,
    path: displayPath(redact(call.path, core.secrets)),
    operationId: op.operationId,
    waitMs: d.waitMs,
    attempt: st.attempt,
    waitedMs: st.waitedMs,
  };
  observe(core.onWait, { ...w, message: waitMessage(w) });
  // The limit is per account: hold back every request of this tier, not just this one.
  if (d.fields.status === 429) core.limiter?.pause(op.tier, d.waitMs);
  st.waitedMs += d.waitMs;
  await core.sleep(d.waitMs);
}

/** Sends until a 2xx arrives (returned) or the retry policy gives up (thrown). */
async function execute(core: Core, spec: RequestSpec): Promise<{ res: ResponseResult; call: Call }> {
  const { op } = spec;
  const url = spec.url ?? `${core.baseUrl}${spec.path}${buildQuery(spec.query)}`;
  const path = spec.url ? relativePath(spec.url, core.baseUrl) : spec.path;
  const call: Call = { spec, path, st: { failures: 0, limited: 0, attempt: 0, waitedMs: 0 } };
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  for (;;) {
    if (core.limiter) await core.limiter.acquire(op.tier, core.limitFor(op.tier));
    const attempt = ++call.st.attempt;
    const started = performance.now();
    const res = await core.transport.send(op.method, url, body);
    const durationMs = performance.now() - started;
    const status = res.kind === "response" ? res.status : 0;
    observe(core.onRequest, {
      operationId: op.operationId,
      method: op.method,
      path,
      status,
      attempt,
      durationMs,
    });
    if (res.kind === "response" && res.status >= 200 && res.status < 300) return { res, call };
    const d = decide(res, op.method, call.st, core.retry);
    if (d.kind === "fail") throw fail(core, call, d.fields);
    await waitForRetry(core, call, d);
  }
}

/**
 * Creates the request executor.
 *
 * @param settings - Transport, limiter, retry policy and observers.
 */
export function createHttp(settings: HttpSettings): KlaviyoHttp {
  const limits: Partial<Record<RateLimitTier, TierLimit>> = {};
  const core: Core = {
    ...settings,
    sleep: settings.sleep ?? defaultSleep,
    onWait: settings.onWait ?? defaultOnWait,
    limitFor: (tier) => (limits[tier] ??= scaledTierLimit(tier, settings.scale)),
  };
  return {
    async request<S extends z.ZodType>(spec: RequestSpec, schema?: S): Promise<z.output<S>> {
      const { res, call } = await execute(core, spec);
      if (!schema) return undefined as z.output<S>;
      // A 200 body can echo the key too (a bulk job's per-item error detail, say), and what the client
      // returns ends up in messages and in Pulumi's state: nothing the server sent leaves unscrubbed.
      const parsed = parseBody(redact(res.text, core.secrets), schema, spec.op.operationId);
      if (parsed.ok) return parsed.data;
      throw fail(core, call, {
        status: res.status,
        code: "invalid_response",
        title: "Invalid response",
        detail: parsed.detail,
      });
    },
  };
}
