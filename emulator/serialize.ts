/** JSON:API rendering of records. Every link is absolute on the emulator's own base URL. */
import type { CodeRecord, CouponRecord, JobRecord } from "./model";
import { pickFields, type ResourceType } from "./query";
import { formatDateTime, formatOptional } from "./time";

type Fields = Map<ResourceType, Set<string>>;

/** Builds absolute URLs on the emulator's base URL. */
export class Links {
  constructor(readonly base: string) {}

  /** `<base>/api/<segments...>`, each segment percent-encoded. */
  api(...segments: string[]): string {
    return `${this.base}/api/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
  }

  coupon(id: string): string {
    return this.api("coupons", id);
  }

  code(id: string): string {
    return this.api("coupon-codes", id);
  }

  job(id: string): string {
    return this.api("coupon-code-bulk-create-jobs", id);
  }
}

/** Renders a coupon resource object. */
export function couponResource(coupon: CouponRecord, links: Links, fields: Fields): Record<string, unknown> {
  return {
    type: "coupon",
    id: coupon.id,
    attributes: pickFields(
      {
        external_id: coupon.id,
        description: coupon.description,
        monitor_configuration: coupon.monitorConfiguration,
      },
      "coupon",
      fields,
    ),
    links: { self: links.coupon(coupon.id) },
  };
}

/** Renders a coupon-code resource object with its coupon (and, when assigned, profile) relationship. */
export function codeResource(code: CodeRecord, links: Links, fields: Fields): Record<string, unknown> {
  const self = links.code(code.id);
  const relationships: Record<string, unknown> = {
    coupon: {
      data: { type: "coupon", id: code.couponId },
      links: { self: `${self}/relationships/coupon`, related: `${self}/coupon` },
    },
  };
  if (code.profileId !== null) {
    relationships.profile = {
      data: { type: "profile", id: code.profileId },
      links: { self: `${self}/relationships/profile`, related: `${self}/profile` },
    };
  }
  return {
    type: "coupon-code",
    id: code.id,
    attributes: pickFields(
      { unique_code: code.uniqueCode, expires_at: formatOptional(code.expiresAt), status: code.status },
      "coupon-code",
      fields,
    ),
    relationships,
    links: { self },
  };
}

/** Renders a bulk-create job resource object. */
export function jobResource(job: JobRecord, links: Links, fields: Fields): Record<string, unknown> {
  const self = links.job(job.id);
  return {
    type: "coupon-code-bulk-create-job",
    id: job.id,
    attributes: pickFields(
      {
        status: job.status,
        created_at: formatDateTime(job.createdAt),
        total_count: job.totalCount,
        completed_count: job.completedCount,
        failed_count: job.failedCount,
        completed_at: formatOptional(job.completedAt),
        errors: job.errors,
        expires_at: formatDateTime(job.expiresAt),
      },
      "coupon-code-bulk-create-job",
      fields,
    ),
    relationships: {
      "coupon-codes": {
        data: job.createdCodeIds.map((id) => ({ type: "coupon-code", id })),
        links: { self: `${self}/relationships/coupon-codes`, related: `${self}/coupon-codes` },
      },
    },
    links: { self },
  };
}

/**
 * Percent-encodes what RFC 3986 forbids in a URI (`[`, `]`, quotes, spaces, non-ASCII, stray `%`), so a
 * request target echoed into `links.self` is a valid `format: uri` value.
 */
export function toUriSafe(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (char) =>
    Buffer.from(char, "utf8").toString("hex").toUpperCase().replace(/(..)/g, "%$1"),
  );
}

/** Top-level links of a collection: `self`, plus `next` when another page exists. */
export function collectionLinks(selfUrl: string, nextCursor: string | undefined): Record<string, string> {
  const links: Record<string, string> = { self: selfUrl };
  if (nextCursor !== undefined) {
    const url = new URL(selfUrl);
    url.searchParams.set("page[cursor]", nextCursor);
    links.next = url.toString();
  }
  return links;
}
