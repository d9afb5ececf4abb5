/**
 * What every resource module of the client shares: the request executor, the base URL, and helpers that
 * turn an operation name into a request and a missing `data` into a 404.
 *
 * @packageDocumentation
 */
import { klaviyoError } from "../errors";
import type { KlaviyoHttp, RequestSpec } from "../http";
import { fillPath, OPERATIONS, type OperationName } from "../operations";

/** One client's request executor and base URL, handed to each resource module. */
export interface ClientContext {
  /** Executes requests with limits and retries. */
  http: KlaviyoHttp;
  /** Normalised base URL (the only origin pagination links may point to). */
  baseUrl: string;
}

/**
 * Builds the request for an operation.
 *
 * @param name - Klaviyo operationId.
 * @param params - Path parameters, encoded into the operation's path.
 * @param query - Query parameters; undefined values are left out.
 * @param body - JSON body.
 */
export function spec(
  name: OperationName,
  params?: Record<string, string>,
  query?: Record<string, string | undefined>,
  body?: unknown,
): RequestSpec {
  const op = OPERATIONS[name];
  return { op, path: fillPath(op.path, params), query, body };
}

/**
 * Throws the 404 a missing resource would have produced, for endpoints that answer 200 with `data: null`,
 * so callers handle both the same way.
 *
 * @param req - The request that got the empty answer.
 * @param what - What the response lacked, for the error's detail.
 * @throws KlaviyoError always.
 */
export function notFound(req: RequestSpec, what: string): never {
  throw klaviyoError({
    status: 404,
    code: "not_found",
    title: "Not found",
    detail: `the response contained no ${what}`,
    method: req.op.method,
    path: req.path,
    operationId: req.op.operationId,
  });
}
