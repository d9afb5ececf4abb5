/**
 * Query parameter handling shared by all endpoints: sparse fieldsets, `include`, `filter`, `page[cursor]`
 * and `page[size]`. JSON:API parameter families an endpoint does not declare are rejected with a 400
 * naming the parameter; unrelated parameters are ignored.
 */
import { invalidParameter } from "./failures";
import { decodeCursor } from "./pagination";

/** Resource types that have sparse fieldsets. */
export type ResourceType = "coupon" | "coupon-code" | "coupon-code-bulk-create-job";

/** Allowed `fields[...]` values per resource type (from the spec). */
export const FIELDSETS: Record<ResourceType, string[]> = {
  coupon: ["description", "external_id", "id", "monitor_configuration"],
  "coupon-code": ["expires_at", "id", "status", "unique_code"],
  "coupon-code-bulk-create-job": [
    "completed_at",
    "completed_count",
    "created_at",
    "errors",
    "expires_at",
    "failed_count",
    "id",
    "status",
    "total_count",
  ],
};

/** Which query parameters an operation declares. */
export interface QuerySpec {
  fields?: ResourceType[];
  include?: string[];
  filter?: "optional" | "required";
  cursor?: boolean;
  pageSize?: boolean;
}

/** Parsed and validated query parameters. */
export interface ParsedQuery {
  /** Requested attributes per type; absent type means all attributes. */
  fields: Map<ResourceType, Set<string>>;
  include: Set<string>;
  filter?: string;
  /** Sequence after which the page starts (-1 for the first page). */
  after: number;
  pageSize: number;
}

const DEFAULT_PAGE_SIZE = 100;

/** Validates `query` against `spec`. */
export function parseQuery(query: URLSearchParams, spec: QuerySpec): ParsedQuery {
  const parsed: ParsedQuery = {
    fields: new Map(),
    include: new Set(),
    after: -1,
    pageSize: DEFAULT_PAGE_SIZE,
  };
  for (const key of new Set(query.keys())) {
    const value = query.getAll(key).join(",");
    const fieldsMatch = /^fields\[(.*)\]$/.exec(key);
    if (fieldsMatch) {
      parsed.fields.set(checkFieldsParam(key, fieldsMatch[1], value, spec), new Set(splitList(value)));
    } else if (key === "include") {
      parsed.include = new Set(checkValues(key, splitList(value), spec.include ?? []));
    } else if (key === "filter") {
      if (!spec.filter) throw invalidParameter(key, "This endpoint does not support filtering.");
      parsed.filter = query.getAll(key).join(",");
    } else if (key === "page[cursor]") {
      if (!spec.cursor) throw invalidParameter(key, "This endpoint does not support pagination.");
      parsed.after = decodeCursor(value);
    } else if (key === "page[size]") {
      if (!spec.pageSize) throw invalidParameter(key, "page[size] is not supported by this endpoint.");
      parsed.pageSize = parsePageSize(value);
    } else if (key === "sort" || key.startsWith("page[")) {
      throw invalidParameter(key, `'${key}' is not supported by this endpoint.`);
    }
  }
  if (spec.filter === "required" && parsed.filter === undefined) {
    throw invalidParameter("filter", "The 'filter' parameter is required by this endpoint.");
  }
  return parsed;
}

/** Keeps only the attributes the sparse fieldset for `type` allows. */
export function pickFields(
  attributes: Record<string, unknown>,
  type: ResourceType,
  fields: Map<ResourceType, Set<string>>,
): Record<string, unknown> {
  const wanted = fields.get(type);
  if (!wanted) return attributes;
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) if (wanted.has(key)) picked[key] = value;
  return picked;
}

function checkFieldsParam(key: string, type: string, value: string, spec: QuerySpec): ResourceType {
  const allowedTypes = spec.fields ?? [];
  if (!(allowedTypes as string[]).includes(type)) {
    throw invalidParameter(key, `'${key}' is not supported by this endpoint.`);
  }
  checkValues(key, splitList(value), FIELDSETS[type as ResourceType]);
  return type as ResourceType;
}

function checkValues(key: string, values: string[], allowed: string[]): string[] {
  for (const value of values) {
    if (!allowed.includes(value)) {
      const choices = allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : "";
      throw invalidParameter(key, `'${value}' is not a valid value for '${key}'${choices}.`);
    }
  }
  return values;
}

function splitList(value: string): string[] {
  return value === "" ? [] : value.split(",").map((item) => item.trim());
}

function parsePageSize(value: string): number {
  if (!/^\d+$/.test(value))
    throw invalidParameter("page[size]", `page[size] must be an integer, got '${value}'.`);
  const size = Number(value);
  if (size < 1 || size > 100) {
    throw invalidParameter("page[size]", `page[size] must be between 1 and 100, got ${size}.`);
  }
  return size;
}
