/** Small HTTP helpers for the emulator's own tests (fetch-based, no client library). */
import { DEFAULT_TEST_API_KEY } from "../emulator";
import { sleep } from "./sleep";

/** What a call returns: status, lower-cased headers and the parsed JSON body (undefined when empty). */
export interface CallResult {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Per-call options; `null` removes a default header. */
export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  apiKey?: string | null;
  revision?: string | null;
  contentType?: string | null;
  authorization?: string;
}

/** Calls the emulator with Klaviyo's usual headers. */
export async function call(
  target: { url: string; apiKey?: string },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { Accept: "application/vnd.api+json" };
  const apiKey = options.apiKey === undefined ? (target.apiKey ?? DEFAULT_TEST_API_KEY) : options.apiKey;
  if (options.authorization !== undefined) headers.Authorization = options.authorization;
  else if (apiKey !== null) headers.Authorization = `Klaviyo-API-Key ${apiKey}`;
  const revision = options.revision === undefined ? "2026-07-15" : options.revision;
  if (revision !== null) headers.revision = revision;
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) payload = JSON.stringify(options.body);
  const contentType = options.contentType === undefined ? "application/vnd.api+json" : options.contentType;
  if (payload !== undefined && contentType !== null) headers["Content-Type"] = contentType;
  const response = await fetch(target.url + path, { method, headers, body: payload });
  const text = await response.text();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => (responseHeaders[key] = value));
  return {
    status: response.status,
    headers: responseHeaders,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** A `POST /api/coupons` body. */
export function couponBody(externalId: string, attributes: Record<string, unknown> = {}): unknown {
  return { data: { type: "coupon", attributes: { external_id: externalId, ...attributes } } };
}

/** One coupon-code resource object (the body of POST /api/coupon-codes, or a bulk-job item). */
export function codeData(
  couponId: string,
  uniqueCode: string,
  expiresAt?: string | null,
): Record<string, unknown> {
  const attributes: Record<string, unknown> = { unique_code: uniqueCode };
  if (expiresAt !== undefined) attributes.expires_at = expiresAt;
  return {
    type: "coupon-code",
    attributes,
    relationships: { coupon: { data: { type: "coupon", id: couponId } } },
  };
}

/** A `POST /api/coupon-codes` body. */
export function codeBody(couponId: string, uniqueCode: string, expiresAt?: string | null): unknown {
  return { data: codeData(couponId, uniqueCode, expiresAt) };
}

/** A `POST /api/coupon-code-bulk-create-jobs` body. */
export function jobBody(items: unknown[]): unknown {
  return { data: { type: "coupon-code-bulk-create-job", attributes: { "coupon-codes": { data: items } } } };
}

/** Items for `count` codes of one coupon, named `<prefix><n>`. */
export function codeItems(couponId: string, count: number, prefix = "CODE"): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => codeData(couponId, `${prefix}${i}`));
}

/** Polls a job until it leaves queued/processing; returns its last body. */
export async function waitForJob(target: { url: string; apiKey?: string }, jobId: string): Promise<any> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const result = await call(target, "GET", `/api/coupon-code-bulk-create-jobs/${jobId}`);
    const status = result.body?.data?.attributes?.status;
    if (status !== "queued" && status !== "processing") return result.body;
    await sleep(10);
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** The ids in a collection response. */
export function ids(body: any): string[] {
  return (body.data as Array<{ id: string }>).map((item) => item.id);
}
