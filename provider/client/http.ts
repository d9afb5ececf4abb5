/**
 * Request execution: rate limiting, retries, error mapping and response parsing.
 *
 * Retry policy:
 * - 429: wait `Retry-After` seconds (or a backoff when absent), hold the whole tier back for that long,
 *   and try again; these do not use up `maxAttempts`, only the separate, generous `maxRateLimitRetries`.
 * - 5xx and network failures: exponential backoff with full jitter, at most `maxAttempts` attempts.
 * - A POST that may have reached the server (connection opened, then no answer; or a gateway timeout
 *   status) is never re-sent: it fails with `outcomeUnknown: true` so the caller can look first.
 * - Other statuses fail at once.
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import { klaviyoError, redact, type KlaviyoError, type KlaviyoErrorFields } from "./errors";
import type { Operation, RateLimitTier } from "./operations";
import { scaledTierLimit, type RateLimiter, type TierLimit } from "./rateLimiter";
import { backoffDelay, isGatewayTimeout, parseRetryAfter, sleep as defaultSleep } from "./retryPolicy";
import type { AttemptResult, Transport } from "./transport";
import { buildQuery, errorFieldsFromResponse, relativePath } from "./wire";

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

/** Details passed to `onRequest` after every attempt. */
export interface RequestInfo {
  /** Klaviyo operationId (snake_case). */
  operationId: string;
  /** HTTP method. */
  method: string;
  /** Path relative to the base URL, without query string. */
  path: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** 1-based attempt number within this call. */
  attempt: number;
  /** Time the attempt took on the wire (rate-limiter waits excluded). */
  durationMs: number;
}

/** Resolved retry settings. */
export interface RetrySettings {
  /** Attempts allowed for 5xx and network failures (429s are counted separately). */
  maxAttempts: number;
  /** Base of the exponential backoff. */
  baseDelayMs: number;
  /** Cap of a single backoff delay. */
  maxDelayMs: number;
  /** 429 responses tolerated per call before giving up. */
  maxRateLimitRetries: number;
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

/**
 * Creates the request executor.
 *
 * @param settings - Transport, limiter, retry policy and observers.
 */
export function createHttp(settings: HttpSettings): KlaviyoHttp {
  const sleep = settings.sleep ?? defaultSleep;
  const limits: Partial<Record<RateLimitTier, TierLimit>> = {};
  const limitFor = (tier: RateLimitTier): TierLimit =>
    (limits[tier] ??= scaledTierLimit(tier, settings.scale));

  function fail(
    spec: RequestSpec,
    path: string,
    attempts: number,
    f: Omit<KlaviyoErrorFields, "method" | "path">,
  ) {
    const s = (t: string) => redact(t, settings.secrets);
    const err: KlaviyoError = klaviyoError({
      ...f,
      title: s(f.title),
      detail: s(f.detail),
      code: f.code === undefined ? undefined : s(f.code),
      errors: f.errors?.map((e) => ({
        ...e,
        title: e.title === undefined ? undefined : s(e.title),
        detail: e.detail === undefined ? undefined : s(e.detail),
      })),
      method: spec.op.method,
      path: s(path),
      operationId: spec.op.operationId,
      attempts,
    });
    return err;
  }

  function report(info: RequestInfo): void {
    if (!settings.onRequest) return;
    try {
      settings.onRequest(info);
    } catch {
      // An observer must not change the outcome of a request.
    }
  }

  async function execute(
    spec: RequestSpec,
  ): Promise<{ res: AttemptResult & { kind: "response" }; path: string; attempt: number }> {
    const { op } = spec;
    const url = spec.url ?? `${settings.baseUrl}${spec.path}${buildQuery(spec.query)}`;
    const path = spec.url ? relativePath(spec.url, settings.baseUrl) : spec.path;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const { maxAttempts, baseDelayMs, maxDelayMs, maxRateLimitRetries } = settings.retry;
    let failures = 0;
    let limited = 0;
    let attempt = 0;
    for (;;) {
      if (settings.limiter) await settings.limiter.acquire(op.tier, limitFor(op.tier));
      attempt++;
      const started = performance.now();
      const res = await settings.transport.send(op.method, url, body);
      const durationMs = performance.now() - started;
      report({
        operationId: op.operationId,
        method: op.method,
        path,
        status: res.kind === "response" ? res.status : 0,
        attempt,
        durationMs,
      });

      if (res.kind === "network") {
        const detail = `${res.code}: ${res.message}`;
        if (res.sent && op.method === "POST") {
          throw fail(spec, path, attempt, {
            status: 0,
            code: res.code,
            title: "Outcome unknown",
            detail: `${detail}; the request was sent but no response arrived, and it was not re-sent because ${op.method} is not idempotent`,
            outcomeUnknown: true,
          });
        }
        failures++;
        if (failures >= maxAttempts) {
          throw fail(spec, path, attempt, {
            status: 0,
            code: res.code,
            title: res.code === "ETIMEDOUT" ? "Timeout" : "Network error",
            detail: `${detail} (gave up after ${attempt} attempts)`,
          });
        }
        await sleep(backoffDelay(failures, baseDelayMs, maxDelayMs));
        continue;
      }

      if (res.status >= 200 && res.status < 300) return { res, path, attempt };

      if (res.status === 429) {
        limited++;
        const retryAfter = parseRetryAfter(res.headers["retry-after"]);
        if (limited > maxRateLimitRetries) {
          const f = errorFieldsFromResponse(res);
          throw fail(spec, path, attempt, {
            ...f,
            detail: `${f.detail} (still rate limited after ${limited} tries)`,
            retryAfterSeconds: retryAfter,
          });
        }
        const waitMs =
          retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(limited, baseDelayMs, maxDelayMs);
        // The limit is per account: hold back every request of this tier, not just this one.
        settings.limiter?.pause(op.tier, waitMs);
        await sleep(waitMs);
        continue;
      }

      if (res.status >= 500) {
        const f = errorFieldsFromResponse(res);
        if (op.method === "POST" && isGatewayTimeout(res.status)) {
          throw fail(spec, path, attempt, {
            ...f,
            detail: `${f.detail}; the origin may have processed the request, so it was not re-sent`,
            outcomeUnknown: true,
          });
        }
        failures++;
        if (failures >= maxAttempts) {
          throw fail(spec, path, attempt, {
            ...f,
            detail: `${f.detail} (gave up after ${attempt} attempts)`,
          });
        }
        await sleep(backoffDelay(failures, baseDelayMs, maxDelayMs));
        continue;
      }

      throw fail(spec, path, attempt, errorFieldsFromResponse(res));
    }
  }

  return {
    async request<S extends z.ZodType>(spec: RequestSpec, schema?: S): Promise<z.output<S>> {
      const { res, path, attempt } = await execute(spec);
      if (!schema) return undefined as z.output<S>;
      let json: unknown;
      try {
        json = res.text ? JSON.parse(res.text) : undefined;
      } catch {
        throw fail(spec, path, attempt, {
          status: res.status,
          code: "invalid_response",
          title: "Invalid response",
          detail: "response body is not JSON",
        });
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ");
        throw fail(spec, path, attempt, {
          status: res.status,
          code: "invalid_response",
          title: "Invalid response",
          detail: `response does not match the ${spec.op.operationId} schema: ${issues}`,
        });
      }
      return parsed.data;
    },
  };
}
