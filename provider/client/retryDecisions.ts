/**
 * What to do after a failed attempt: retry after a wait, or fail. Pure decisions, no I/O; the caller
 * (`http.ts`) checks the wait against the caps, sleeps, and builds the error.
 *
 * @packageDocumentation
 */
import type { KlaviyoErrorFields } from "./errors";
import type { RetrySettings } from "./clientTypes";
import { backoffDelay, isGatewayTimeout, parseRetryAfter } from "./retryPolicy";
import type { AttemptResult } from "./transport";
import { errorFieldsFromResponse } from "./wire";

/** Error fields without the request's method and path (the caller adds them). */
export type FailureFields = Omit<KlaviyoErrorFields, "method" | "path">;

/** Counters of one request across its attempts; {@link decide} updates them. */
export interface AttemptState {
  /** 5xx and network failures so far (bounded by `maxAttempts`). */
  failures: number;
  /** 429s so far (bounded by `maxRateLimitRetries`). */
  limited: number;
  /** Attempts made, including the one being decided on. */
  attempt: number;
  /** Sum of the retry waits so far (the caller bounds it by `maxTotalWaitMs`). */
  waitedMs: number;
}

/** The outcome of {@link decide}. */
export type Decision =
  /** Wait `waitMs`, then try again; `fields` describe the failure in case the wait is refused. */
  | { kind: "retry"; waitMs: number; retryAfter?: number; fields: FailureFields }
  /** Give up with this error. */
  | { kind: "fail"; fields: FailureFields };

/**
 * Backoff delay after the `n`th failure, never above the single-wait cap (the client's own choice is
 * shortened to fit, never refused).
 *
 * @param n - 1-based failure count.
 * @param retry - Retry settings.
 */
function cappedBackoff(n: number, retry: RetrySettings): number {
  return Math.min(backoffDelay(n, retry.baseDelayMs, retry.maxDelayMs), retry.maxWaitMs);
}

type Network = Extract<AttemptResult, { kind: "network" }>;
type Response = Extract<AttemptResult, { kind: "response" }>;

function onNetwork(res: Network, method: string, st: AttemptState, retry: RetrySettings): Decision {
  const detail = `${res.code}: ${res.message}`;
  if (res.sent && method === "POST") {
    const why = `the request was sent but no response arrived, and it was not re-sent because ${method} is not idempotent`;
    return {
      kind: "fail",
      fields: {
        status: 0,
        code: res.code,
        title: "Outcome unknown",
        detail: `${detail}; ${why}`,
        outcomeUnknown: true,
      },
    };
  }
  const fields = {
    status: 0,
    code: res.code,
    title: res.code === "ETIMEDOUT" ? "Timeout" : "Network error",
    detail,
  };
  st.failures++;
  if (st.failures >= retry.maxAttempts) {
    return {
      kind: "fail",
      fields: { ...fields, detail: `${detail} (gave up after ${st.attempt} attempts)` },
    };
  }
  return { kind: "retry", waitMs: cappedBackoff(st.failures, retry), fields };
}

function onRateLimited(res: Response, st: AttemptState, retry: RetrySettings): Decision {
  st.limited++;
  const retryAfter = parseRetryAfter(res.headers["retry-after"]);
  const f = errorFieldsFromResponse(res);
  if (st.limited > retry.maxRateLimitRetries) {
    const detail = `${f.detail} (still rate limited after ${st.limited} tries)`;
    return { kind: "fail", fields: { ...f, detail, retryAfterSeconds: retryAfter } };
  }
  const waitMs = retryAfter !== undefined ? retryAfter * 1000 : cappedBackoff(st.limited, retry);
  return { kind: "retry", waitMs, retryAfter, fields: f };
}

function onServerError(res: Response, method: string, st: AttemptState, retry: RetrySettings): Decision {
  const f = errorFieldsFromResponse(res);
  if (method === "POST" && isGatewayTimeout(res.status)) {
    const detail = `${f.detail}; the origin may have processed the request, so it was not re-sent`;
    return { kind: "fail", fields: { ...f, detail, outcomeUnknown: true } };
  }
  st.failures++;
  if (st.failures >= retry.maxAttempts) {
    return { kind: "fail", fields: { ...f, detail: `${f.detail} (gave up after ${st.attempt} attempts)` } };
  }
  return { kind: "retry", waitMs: cappedBackoff(st.failures, retry), fields: f };
}

/**
 * Decides what follows a non-2xx attempt (see the retry policy in `http.ts`).
 *
 * @param res - The failed attempt (a network failure or a non-2xx response).
 * @param method - HTTP method of the request.
 * @param st - The request's counters (updated).
 * @param retry - Retry settings.
 */
export function decide(res: AttemptResult, method: string, st: AttemptState, retry: RetrySettings): Decision {
  if (res.kind === "network") return onNetwork(res, method, st, retry);
  if (res.status === 429) return onRateLimited(res, st, retry);
  if (res.status >= 500) return onServerError(res, method, st, retry);
  return { kind: "fail", fields: errorFieldsFromResponse(res) };
}
