/**
 * Validation of JSON:API request bodies against the spec's request schemas (hand-written because the
 * emulator ships without dev dependencies). Failures are 400s whose `source.pointer` names the member,
 * e.g. `/data/attributes/unique_code`. Unknown attributes are rejected so that clients sending fields the
 * API cannot change (such as `external_id` on PATCH) find out in tests.
 */
import { invalidBody } from "./failures";
import { CODE_STATUSES, type CodeStatus } from "./model";
import type { NewCode, NewCoupon } from "./store";
import { parseDateTime } from "./time";

type Json = Record<string, unknown>;

/** A validated PATCH of a coupon. */
export interface CouponPatch {
  id: string;
  description?: string | null;
  monitorConfiguration?: Record<string, unknown> | null;
}

/** A validated PATCH of a coupon code. */
export interface CodePatch {
  id: string;
  status?: CodeStatus | null;
  expiresAt?: number | null;
}

/** Validates a `POST /api/coupons` body. */
export function parseCouponCreate(body: unknown): NewCoupon {
  const data = dataOf(body);
  expectType(data, "coupon", "/data");
  const attributes = attributesOf(data, "/data", ["external_id", "description", "monitor_configuration"]);
  const id = requiredString(attributes, "external_id", "/data/attributes");
  return {
    id,
    description: optionalNullableString(attributes, "description", "/data/attributes") ?? null,
    monitorConfiguration:
      optionalNullableObject(attributes, "monitor_configuration", "/data/attributes") ?? null,
  };
}

/** Validates a `PATCH /api/coupons/{id}` body. */
export function parseCouponUpdate(body: unknown, pathId: string): CouponPatch {
  const data = dataOf(body);
  expectType(data, "coupon", "/data");
  const id = expectId(data, pathId);
  const attributes = attributesOf(data, "/data", ["description", "monitor_configuration"]);
  const patch: CouponPatch = { id };
  const description = optionalNullableString(attributes, "description", "/data/attributes");
  if (description !== undefined) patch.description = description;
  const monitor = optionalNullableObject(attributes, "monitor_configuration", "/data/attributes");
  if (monitor !== undefined) patch.monitorConfiguration = monitor;
  return patch;
}

/** Validates a `POST /api/coupon-codes` body (or one bulk-job item, re-rooted by the caller). */
export function parseCodeCreate(body: unknown): NewCode {
  return parseCodeResource(dataOf(body), "/data");
}

/** Validates one coupon-code resource object found at `pointer`. */
export function parseCodeResource(value: unknown, pointer: string): NewCode {
  const data = objectAt(value, pointer);
  expectType(data, "coupon-code", pointer);
  const attributes = attributesOf(data, pointer, ["unique_code", "expires_at"]);
  const uniqueCode = requiredString(attributes, "unique_code", `${pointer}/attributes`);
  const expiresAt = optionalDateTime(attributes, "expires_at", `${pointer}/attributes`);
  const relationships = objectAt(data.relationships, `${pointer}/relationships`);
  const coupon = objectAt(relationships.coupon, `${pointer}/relationships/coupon`);
  const couponData = objectAt(coupon.data, `${pointer}/relationships/coupon/data`);
  expectType(couponData, "coupon", `${pointer}/relationships/coupon/data`);
  const couponId = requiredString(couponData, "id", `${pointer}/relationships/coupon/data`);
  return { couponId, uniqueCode, expiresAt };
}

/** Validates a `PATCH /api/coupon-codes/{id}` body. */
export function parseCodeUpdate(body: unknown, pathId: string): CodePatch {
  const data = dataOf(body);
  expectType(data, "coupon-code", "/data");
  const id = expectId(data, pathId);
  const attributes = attributesOf(data, "/data", ["status", "expires_at"]);
  const patch: CodePatch = { id };
  if (attributes.status !== undefined) {
    const status = attributes.status;
    if (status !== null && !(CODE_STATUSES as readonly unknown[]).includes(status)) {
      throw invalidBody(
        "/data/attributes/status",
        `'${String(status)}' is not a valid status; allowed: ${CODE_STATUSES.join(", ")}.`,
      );
    }
    patch.status = status as CodeStatus | null;
  }
  const expiresAt = optionalDateTime(attributes, "expires_at", "/data/attributes");
  if (expiresAt !== undefined) patch.expiresAt = expiresAt;
  return patch;
}

/** Validates the envelope of a bulk-create job body; the items themselves are checked per item later. */
export function parseJobCreate(body: unknown, maxCodes: number): unknown[] {
  const data = dataOf(body);
  expectType(data, "coupon-code-bulk-create-job", "/data");
  const attributes = attributesOf(data, "/data", ["coupon-codes"]);
  const codes = objectAt(attributes["coupon-codes"], "/data/attributes/coupon-codes");
  const items = codes.data;
  if (!Array.isArray(items)) {
    throw invalidBody(
      "/data/attributes/coupon-codes/data",
      "'data' must be an array of coupon-code resources.",
    );
  }
  if (items.length === 0) {
    throw invalidBody(
      "/data/attributes/coupon-codes/data",
      "A bulk create job needs at least one coupon code.",
    );
  }
  if (items.length > maxCodes) {
    throw invalidBody(
      "/data/attributes/coupon-codes/data",
      `Max number of coupon codes per job we allow for is ${maxCodes}; this job has ${items.length}.`,
    );
  }
  items.forEach((item, index) => objectAt(item, `/data/attributes/coupon-codes/data/${index}`));
  return items;
}

function dataOf(body: unknown): Json {
  if (body === undefined) throw invalidBody("/data", "A request body with a 'data' member is required.");
  return objectAt(objectAt(body, "").data, "/data");
}

function objectAt(value: unknown, pointer: string): Json {
  if (value === undefined) throw invalidBody(pointer, `'${memberName(pointer)}' is required.`);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidBody(pointer || "/", `'${memberName(pointer)}' must be an object.`);
  }
  return value as Json;
}

function memberName(pointer: string): string {
  return pointer === "" ? "body" : pointer.slice(pointer.lastIndexOf("/") + 1);
}

function expectType(data: Json, type: string, pointer: string): void {
  if (data.type !== type) {
    throw invalidBody(
      `${pointer}/type`,
      `'type' must be '${type}', got ${JSON.stringify(data.type) ?? "nothing"}.`,
    );
  }
}

function expectId(data: Json, pathId: string): string {
  if (typeof data.id !== "string") throw invalidBody("/data/id", "'id' is required and must be a string.");
  if (data.id !== pathId) {
    throw invalidBody(
      "/data/id",
      `'id' in the body ('${data.id}') does not match the id in the URL ('${pathId}').`,
    );
  }
  return data.id;
}

function attributesOf(data: Json, pointer: string, allowed: string[]): Json {
  const attributes = objectAt(data.attributes, `${pointer}/attributes`);
  for (const key of Object.keys(attributes)) {
    if (!allowed.includes(key)) {
      throw invalidBody(
        `${pointer}/attributes/${key}`,
        `'${key}' is not a valid field for this request; allowed: ${allowed.join(", ")}.`,
      );
    }
  }
  return attributes;
}

function requiredString(container: Json, key: string, pointer: string): string {
  const value = container[key];
  if (value === undefined || value === null) throw invalidBody(`${pointer}/${key}`, `'${key}' is required.`);
  if (typeof value !== "string") throw invalidBody(`${pointer}/${key}`, `'${key}' must be a string.`);
  if (value.trim() === "") throw invalidBody(`${pointer}/${key}`, `'${key}' must not be blank.`);
  return value;
}

function optionalNullableString(container: Json, key: string, pointer: string): string | null | undefined {
  const value = container[key];
  if (value === undefined || value === null || typeof value === "string") return value;
  throw invalidBody(`${pointer}/${key}`, `'${key}' must be a string or null.`);
}

function optionalNullableObject(
  container: Json,
  key: string,
  pointer: string,
): Record<string, unknown> | null | undefined {
  const value = container[key];
  if (value === undefined || value === null) return value;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalidBody(`${pointer}/${key}`, `'${key}' must be an object or null.`);
}

function optionalDateTime(container: Json, key: string, pointer: string): number | null | undefined {
  const value = container[key];
  if (value === undefined || value === null) return value;
  const parsed = typeof value === "string" ? parseDateTime(value) : undefined;
  if (parsed === undefined) {
    throw invalidBody(
      `${pointer}/${key}`,
      `'${key}' must be an RFC 3339 date-time such as 2024-04-20T00:00:00+00:00, got ${JSON.stringify(value)}.`,
    );
  }
  return parsed;
}
