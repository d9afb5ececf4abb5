/** In-memory records of the emulated account. Instants are microseconds since the epoch. */
import type { OrderedIndex } from "./orderedIndex";
import type { ApiErrorEntry } from "./failures";

/** Coupon code statuses, as in the spec. */
export const CODE_STATUSES = [
  "ASSIGNED_TO_PROFILE",
  "DELETING",
  "PROCESSING",
  "UNASSIGNED",
  "USED",
  "VERSION_NOT_ACTIVE",
] as const;

/** A coupon code status. */
export type CodeStatus = (typeof CODE_STATUSES)[number];

/** Bulk-create job statuses, as in the spec (lowercase, no `failed`). */
export const JOB_STATUSES = ["cancelled", "complete", "processing", "queued"] as const;

/** A bulk-create job status. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A coupon. Its id is its `external_id`. */
export interface CouponRecord {
  id: string;
  seq: number;
  description: string | null;
  monitorConfiguration: Record<string, unknown> | null;
  /** UI coupons follow the guide's expiration rules; API coupons never conflict. */
  source: "api" | "ui";
  /** Only meaningful for UI coupons. */
  uiExpiresAt: number | null;
  /** This coupon's codes in creation order. */
  codes: OrderedIndex<CodeRecord>;
  /** unique_code -> code, for duplicate detection. */
  codesByUnique: Map<string, CodeRecord>;
}

/** A coupon code. Its id is `<couponId>-<unique_code>`, looked up exactly and never split. */
export interface CodeRecord {
  id: string;
  seq: number;
  couponId: string;
  uniqueCode: string;
  expiresAt: number | null;
  status: CodeStatus;
  profileId: string | null;
}

/** One entry of a job's `errors` attribute (the spec requires all five keys). */
export interface JobErrorEntry {
  id: string;
  code: string;
  title: string;
  detail: string;
  source: { pointer: string };
}

/** Converts a pipeline error entry into a job error entry. */
export function toJobError(entry: ApiErrorEntry, pointer: string): JobErrorEntry {
  return { id: entry.id, code: entry.code, title: entry.title, detail: entry.detail, source: { pointer } };
}

/** Forced outcome attached to a job when it is submitted. */
export interface ForcedOutcome {
  cancel: boolean;
  cancelAfter: number;
  failFraction: number;
  failCodes: Set<string>;
}

/** A coupon-code bulk-create job. */
export interface JobRecord {
  id: string;
  seq: number;
  status: JobStatus;
  createdAt: number;
  completedAt: number | null;
  expiresAt: number;
  /** Raw items from the request; released once processed. */
  items: unknown[];
  totalCount: number;
  completedCount: number;
  failedCount: number;
  errors: JobErrorEntry[];
  createdCodeIds: string[];
  outcome: ForcedOutcome | null;
}
