/**
 * The Klaviyo documents the client returns, as plain TypeScript types.
 *
 * Generated from `WireTypes` in `schemas.ts` by `npm run generate`: do not edit. A test fails when
 * this file is stale.
 *
 * @packageDocumentation
 */

/** A Klaviyo coupon (`type: "coupon"`); its id equals `attributes.external_id`. */
export type Coupon = {
  attributes: {
    external_id: string;
    description: string | null;
    monitor_configuration: Record<string, unknown> | null;
  };
  type: "coupon";
  id: string;
  links?: { self: string } | undefined;
};

/** Status of a coupon code. */
export type CouponCodeStatus =
  "ASSIGNED_TO_PROFILE" | "DELETING" | "PROCESSING" | "UNASSIGNED" | "USED" | "VERSION_NOT_ACTIVE";

/** A coupon code (`type: "coupon-code"`); its id is made from the coupon id and the unique code. */
export type CouponCode = {
  type: "coupon-code";
  id: string;
  attributes: {
    unique_code: string | null;
    expires_at: string | null;
    status:
      "ASSIGNED_TO_PROFILE" | "DELETING" | "PROCESSING" | "UNASSIGNED" | "USED" | "VERSION_NOT_ACTIVE" | null;
  };
  relationships?:
    | {
        coupon?:
          | {
              data: { type: "coupon"; id: string } | null;
              links?: { self?: string | undefined; related?: string | undefined } | undefined;
            }
          | undefined;
        profile?:
          | {
              data: { type: "profile"; id: string } | null;
              links?: { self?: string | undefined; related?: string | undefined } | undefined;
            }
          | undefined;
      }
    | undefined;
  links?: { self: string } | undefined;
};

/** One error reported by a bulk-create job. */
export type JobError = {
  id: string;
  code: string;
  title: string;
  detail: string;
  source?: { pointer?: string | null | undefined } | null | undefined;
};

/** A coupon-code bulk-create job. */
export type BulkCreateJob = {
  type: "coupon-code-bulk-create-job";
  id: string;
  attributes: {
    status: "queued" | "processing" | "complete" | "cancelled";
    created_at: string;
    total_count: number;
    completed_count: number | null;
    failed_count: number | null;
    completed_at: string | null;
    expires_at: string | null;
    errors:
      | {
          id: string;
          code: string;
          title: string;
          detail: string;
          source?: { pointer?: string | null | undefined } | null | undefined;
        }[]
      | null;
  };
  relationships?:
    | {
        "coupon-codes"?:
          | {
              data: { type: "coupon-code"; id: string }[];
              links?: { self?: string | undefined; related?: string | undefined } | undefined;
            }
          | undefined;
      }
    | undefined;
  links?: { self: string } | undefined;
};

/** A reference to a coupon code (relationship endpoints). */
export type CouponCodeIdentifier = { type: "coupon-code"; id: string };

/** A reference to a coupon. */
export type CouponIdentifier = { type: "coupon"; id: string };
