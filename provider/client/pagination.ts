/**
 * Cursor pagination over JSON:API collections (`links.next`).
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import { klaviyoError } from "./errors";
import type { KlaviyoHttp, RequestSpec } from "./http";
import type { Page } from "./clientTypes";

/** A parsed collection document: items, optional included resources, optional links. */
interface CollectionDoc<T, I> {
  data: T[];
  included?: I[];
  links?: { next?: string | null };
}

/**
 * Works out how to fetch the page after one whose `links.next` is `next`.
 *
 * @param next - The `links.next` value.
 * @param baseUrl - Client base URL (the only origin a link may point to: the API key goes with it).
 * @returns The cursor to send, or a same-origin URL to follow when the link has no `page[cursor]`;
 *   null when there is no next page.
 * @throws Error (plain, the caller wraps it) when the link points elsewhere or cannot be parsed.
 */
export function nextPageRef(
  next: string | null | undefined,
  baseUrl: string,
): { cursor: string } | { url: string } | null {
  if (!next) return null;
  const url = new URL(next, baseUrl);
  const cursor = url.searchParams.get("page[cursor]");
  if (cursor) return { cursor };
  if (url.origin !== new URL(baseUrl).origin) throw new Error("links.next points to another origin");
  return { url: url.toString() };
}

/**
 * Iterates the pages of a collection, fetching each only when the consumer asks for it.
 *
 * @param http - Request executor.
 * @param baseUrl - Client base URL.
 * @param first - Request for the first page (its query is reused with each cursor).
 * @param schema - Collection document schema.
 */
export async function* paginate<S extends z.ZodType, T, I = unknown>(
  http: KlaviyoHttp,
  baseUrl: string,
  first: RequestSpec,
  schema: S & z.ZodType<CollectionDoc<T, I>>,
): AsyncGenerator<Page<T, I>, void, undefined> {
  let spec: RequestSpec = first;
  const seen = new Set<string>();
  for (;;) {
    const doc = (await http.request(spec, schema)) as CollectionDoc<T, I>;
    let ref: ReturnType<typeof nextPageRef>;
    try {
      ref = nextPageRef(doc.links?.next, baseUrl);
    } catch (e) {
      throw klaviyoError({
        status: 200,
        code: "invalid_response",
        title: "Invalid response",
        detail: (e as Error).message,
        method: spec.op.method,
        path: spec.path,
        operationId: spec.op.operationId,
      });
    }
    const token = ref === null ? null : "cursor" in ref ? ref.cursor : ref.url;
    // A server repeating a cursor would otherwise make this loop forever.
    if (token !== null && seen.has(token)) {
      throw klaviyoError({
        status: 200,
        code: "invalid_response",
        title: "Invalid response",
        detail: "links.next repeats an earlier page",
        method: spec.op.method,
        path: spec.path,
        operationId: spec.op.operationId,
      });
    }
    const page: Page<T, I> = { data: doc.data, nextCursor: token };
    if (doc.included !== undefined) page.included = doc.included;
    yield page;
    if (ref === null || token === null) return;
    seen.add(token);
    spec =
      "cursor" in ref
        ? { ...first, query: { ...first.query, "page[cursor]": ref.cursor } }
        : { ...first, query: undefined, url: ref.url };
  }
}
