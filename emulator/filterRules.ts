/**
 * Which filter fields, operators and values each endpoint accepts (the spec's `x-klaviyo-filters`),
 * and the compiled form used to select coupon codes or jobs.
 */
import { filterError, parseFilter, type FilterCondition, type FilterValue } from "./filter";
import { CODE_STATUSES, JOB_STATUSES, type CodeRecord, type CodeStatus, type JobRecord } from "./model";
import { parseDateTime } from "./time";

type ValueKind = "datetime" | "codeStatus" | "jobStatus" | "id";

interface FieldRule {
  operators: string[];
  kind: ValueKind;
}

const COMPARISONS = ["greater-or-equal", "greater-than", "less-or-equal", "less-than"];

const CODE_RULES: Record<string, FieldRule> = {
  expires_at: { operators: COMPARISONS, kind: "datetime" },
  status: { operators: ["equals"], kind: "codeStatus" },
  "coupon.id": { operators: ["any", "equals"], kind: "id" },
  "profile.id": { operators: ["any", "equals"], kind: "id" },
};

const JOB_RULES: Record<string, FieldRule> = {
  status: { operators: ["equals"], kind: "jobStatus" },
};

/** A compiled coupon-code filter. */
export interface CodeFilter {
  /** Codes must belong to one of these coupons (intersection of all coupon.id conditions). */
  couponIds: Set<string> | null;
  /** Codes must be assigned to one of these profiles. */
  profileIds: Set<string> | null;
  /** Every condition, coupon and profile ones included. */
  matches(code: CodeRecord): boolean;
}

/** Compiles a coupon-code filter; `requireOwner` enforces #6's "must reference coupon(s) or profile(s)". */
export function compileCodeFilter(text: string, requireOwner: boolean): CodeFilter {
  const conditions = parseFilter(text).map((condition) => checkCondition(condition, CODE_RULES));
  let couponIds: Set<string> | null = null;
  let profileIds: Set<string> | null = null;
  const predicates: Array<(code: CodeRecord) => boolean> = [];
  for (const { condition, values } of conditions) {
    if (condition.field === "coupon.id") couponIds = intersect(couponIds, values as string[]);
    else if (condition.field === "profile.id") profileIds = intersect(profileIds, values as string[]);
    else if (condition.field === "status") {
      const status = values[0] as CodeStatus;
      predicates.push((code) => code.status === status);
    } else {
      predicates.push(comparison(condition.operator, values[0] as number));
    }
  }
  if (requireOwner && couponIds === null && profileIds === null) {
    throw filterError(
      "this endpoint requires a coupon.id or profile.id condition, e.g. equals(coupon.id,'10OFF').",
    );
  }
  const coupons = couponIds;
  const profiles = profileIds;
  return {
    couponIds: coupons,
    profileIds: profiles,
    matches: (code) =>
      (coupons === null || coupons.has(code.couponId)) &&
      (profiles === null || (code.profileId !== null && profiles.has(code.profileId))) &&
      predicates.every((predicate) => predicate(code)),
  };
}

/** Compiles a bulk-create job filter (only `equals(status,...)` is allowed). */
export function compileJobFilter(text: string): (job: JobRecord) => boolean {
  const conditions = parseFilter(text).map((condition) => checkCondition(condition, JOB_RULES));
  return (job) => conditions.every(({ values }) => job.status === values[0]);
}

function checkCondition(
  condition: FilterCondition,
  rules: Record<string, FieldRule>,
): { condition: FilterCondition; values: Array<string | number> } {
  const rule = Object.prototype.hasOwnProperty.call(rules, condition.field)
    ? rules[condition.field]
    : undefined;
  if (!rule) {
    throw filterError(
      `'${condition.field}' is not a filterable field here; allowed: ${Object.keys(rules).join(", ")}.`,
    );
  }
  if (!rule.operators.includes(condition.operator)) {
    throw filterError(
      `operator '${condition.operator}' is not allowed for '${condition.field}'; allowed: ${rule.operators.join(", ")}.`,
    );
  }
  if (condition.operator === "any") {
    if (condition.value.kind !== "list" || condition.value.items.length === 0) {
      throw filterError(`any(${condition.field},...) takes a non-empty list such as ["a","b"].`);
    }
    return { condition, values: condition.value.items.map((item) => convert(item, rule.kind, condition)) };
  }
  if (condition.value.kind === "list") {
    throw filterError(`${condition.operator}(${condition.field},...) takes a single value, not a list.`);
  }
  return { condition, values: [convert(condition.value, rule.kind, condition)] };
}

function convert(value: FilterValue, kind: ValueKind, condition: FilterCondition): string | number {
  const where = `${condition.operator}(${condition.field},...)`;
  if (value.kind === "list") throw filterError(`nested lists are not allowed in ${where}.`);
  if (kind === "datetime") {
    const text = value.kind === "string" ? value.value : value.text;
    const parsed = parseDateTime(text, { allowNaive: true });
    if (parsed === undefined) throw filterError(`'${text}' is not a valid date-time in ${where}.`);
    return parsed;
  }
  if (value.kind !== "string") {
    throw filterError(`'${value.text}' must be a quoted string in ${where}.`);
  }
  if (kind === "codeStatus" && !(CODE_STATUSES as readonly string[]).includes(value.value)) {
    throw filterError(`'${value.value}' is not a coupon code status; allowed: ${CODE_STATUSES.join(", ")}.`);
  }
  if (kind === "jobStatus" && !(JOB_STATUSES as readonly string[]).includes(value.value)) {
    throw filterError(`'${value.value}' is not a job status; allowed: ${JOB_STATUSES.join(", ")}.`);
  }
  return value.value;
}

function intersect(current: Set<string> | null, values: string[]): Set<string> {
  if (current === null) return new Set(values);
  return new Set(values.filter((value) => current.has(value)));
}

function comparison(operator: string, bound: number): (code: CodeRecord) => boolean {
  switch (operator) {
    case "greater-or-equal":
      return (code) => code.expiresAt !== null && code.expiresAt >= bound;
    case "greater-than":
      return (code) => code.expiresAt !== null && code.expiresAt > bound;
    case "less-or-equal":
      return (code) => code.expiresAt !== null && code.expiresAt <= bound;
    default:
      return (code) => code.expiresAt !== null && code.expiresAt < bound;
  }
}
