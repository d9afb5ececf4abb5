/**
 * Zod schemas for Klaviyo coupon API responses: the single source of the client's types.
 *
 * Schemas follow the OpenAPI spec of revision 2026-07-15. Unknown keys are accepted and dropped, so new
 * fields Klaviyo adds do not break parsing. Schemas are built on first use, never at module load, so that
 * nothing in this module has to survive Pulumi's closure serialization.
 *
 * @packageDocumentation
 */
import { z } from "zod";

/** Links, meta and resource identifiers: the pieces every resource's schema and every document share. */
function buildCommon() {
  return {
    objectLinks: z.object({ self: z.string() }),
    relationshipLinks: z.object({ self: z.string().optional(), related: z.string().optional() }),
    collectionLinks: z.object({
      self: z.string().optional(),
      prev: z.string().nullable().optional(),
      next: z.string().nullable().optional(),
    }),
    meta: z.object({ agent_hints: z.object({ next_steps: z.array(z.string()).optional() }).optional() }),
    couponIdentifier: z.object({ type: z.literal("coupon"), id: z.string() }),
    couponCodeIdentifier: z.object({ type: z.literal("coupon-code"), id: z.string() }),
    profileIdentifier: z.object({ type: z.literal("profile"), id: z.string() }),
  };
}

type Common = ReturnType<typeof buildCommon>;

function buildCoupon(c: Common) {
  return z
    .object({
      type: z.literal("coupon"),
      id: z.string(),
      attributes: z.object({
        // Required by the spec but absent under a sparse fieldset; the spec defines id == external_id.
        external_id: z.string().optional(),
        description: z.string().nullable().default(null),
        monitor_configuration: z.record(z.string(), z.unknown()).nullable().default(null),
      }),
      links: c.objectLinks.optional(),
    })
    .transform((coupon) => ({
      ...coupon,
      attributes: { ...coupon.attributes, external_id: coupon.attributes.external_id ?? coupon.id },
    }));
}

function buildCouponCode(c: Common) {
  const couponCodeStatus = z.enum([
    "ASSIGNED_TO_PROFILE",
    "DELETING",
    "PROCESSING",
    "UNASSIGNED",
    "USED",
    "VERSION_NOT_ACTIVE",
  ]);

  const couponCode = z.object({
    type: z.literal("coupon-code"),
    id: z.string(),
    attributes: z.object({
      unique_code: z.string().nullable().default(null),
      expires_at: z.string().nullable().default(null),
      status: couponCodeStatus.nullable().default(null),
    }),
    relationships: z
      .object({
        coupon: z
          .object({
            data: c.couponIdentifier.nullable().default(null),
            links: c.relationshipLinks.optional(),
          })
          .optional(),
        profile: z
          .object({
            data: c.profileIdentifier.nullable().default(null),
            links: c.relationshipLinks.optional(),
          })
          .optional(),
      })
      .optional(),
    links: c.objectLinks.optional(),
  });

  return { couponCodeStatus, couponCode };
}

function buildBulkCreateJob(c: Common) {
  const jobError = z.object({
    id: z.string(),
    code: z.string(),
    title: z.string(),
    detail: z.string(),
    source: z.object({ pointer: z.string().nullable().optional() }).nullable().optional(),
  });

  const bulkCreateJob = z.object({
    type: z.literal("coupon-code-bulk-create-job"),
    id: z.string(),
    attributes: z.object({
      status: z.enum(["queued", "processing", "complete", "cancelled"]),
      created_at: z.string(),
      total_count: z.number().int(),
      // The spec gives both counts a default of 0.
      completed_count: z.number().int().nullable().default(0),
      failed_count: z.number().int().nullable().default(0),
      completed_at: z.string().nullable().default(null),
      expires_at: z.string().nullable().default(null),
      errors: z.array(jobError).nullable().default(null),
    }),
    relationships: z
      .object({
        "coupon-codes": z
          .object({
            data: z.array(c.couponCodeIdentifier).default([]),
            links: c.relationshipLinks.optional(),
          })
          .optional(),
      })
      .optional(),
    links: c.objectLinks.optional(),
  });

  return { jobError, bulkCreateJob };
}

function buildErrorBody() {
  return z.object({
    errors: z.array(
      z.object({
        code: z.string().optional(),
        title: z.string().optional(),
        detail: z.string().optional(),
        source: z.object({ pointer: z.string().optional(), parameter: z.string().optional() }).optional(),
      }),
    ),
  });
}

function collection<T extends z.ZodType>(c: Common, item: T) {
  return z.object({
    data: z.array(item),
    links: c.collectionLinks.optional(),
    meta: c.meta.optional(),
  });
}

function single<T extends z.ZodType>(c: Common, item: T) {
  return z.object({ data: item, links: c.objectLinks.optional(), meta: c.meta.optional() });
}

function buildSchemas() {
  const c = buildCommon();
  const coupon = buildCoupon(c);
  const { couponCodeStatus, couponCode } = buildCouponCode(c);
  const { jobError, bulkCreateJob } = buildBulkCreateJob(c);
  return {
    coupon,
    couponCode,
    couponCodeStatus,
    bulkCreateJob,
    jobError,
    couponIdentifier: c.couponIdentifier,
    couponCodeIdentifier: c.couponCodeIdentifier,
    errorBody: buildErrorBody(),
    couponDocument: single(c, coupon),
    // GET coupon and GET code->coupon declare `data` nullable.
    nullableCouponDocument: single(c, coupon.nullable()),
    couponCollection: collection(c, coupon),
    couponCodeDocument: single(c, couponCode).extend({ included: z.array(coupon).optional() }),
    couponCodeCollection: collection(c, couponCode).extend({ included: z.array(coupon).optional() }),
    couponIdDocument: single(c, c.couponIdentifier.nullable()),
    couponCodeIdCollection: collection(c, c.couponCodeIdentifier),
    jobDocument: single(c, bulkCreateJob).extend({ included: z.array(couponCode).optional() }),
    jobCollection: collection(c, bulkCreateJob),
  };
}

/** All response schemas, keyed by name. */
export type Schemas = ReturnType<typeof buildSchemas>;

let cache: Schemas | undefined;

/** Returns the response schemas, building them on first use. */
export function schemas(): Schemas {
  if (!cache) cache = buildSchemas();
  return cache;
}

/**
 * The documents the client returns, as the schemas parse them. `npm run generate` writes them out as
 * plain TypeScript into `wireTypes.ts`, which the client and the public API use: a `.d.ts` that mentions
 * zod makes users' `tsc` read zod's own declarations, which do not compile without `esModuleInterop`.
 */
export interface WireTypes {
  /** A Klaviyo coupon (`type: "coupon"`); its id equals `attributes.external_id`. */
  Coupon: z.infer<Schemas["coupon"]>;
  /** Status of a coupon code. */
  CouponCodeStatus: z.infer<Schemas["couponCodeStatus"]>;
  /** A coupon code (`type: "coupon-code"`); its id is made from the coupon id and the unique code. */
  CouponCode: z.infer<Schemas["couponCode"]>;
  /** One error reported by a bulk-create job. */
  JobError: z.infer<Schemas["jobError"]>;
  /** A coupon-code bulk-create job. */
  BulkCreateJob: z.infer<Schemas["bulkCreateJob"]>;
  /** A reference to a coupon code (relationship endpoints). */
  CouponCodeIdentifier: z.infer<Schemas["couponCodeIdentifier"]>;
  /** A reference to a coupon. */
  CouponIdentifier: z.infer<Schemas["couponIdentifier"]>;
}
