/**
 * Builder for Klaviyo `filter` query expressions (`equals(coupon.id,"10OFF")`, `and(...)`, ...).
 *
 * Values come from users and from ids that may contain anything, so strings are always quoted and escaped
 * and dates are validated before being written unquoted: no value can end an expression early or add a
 * condition of its own.
 *
 * @packageDocumentation
 */

/** A value that {@link filter.equals} and {@link filter.any} accept. */
export type FilterValue = string | number | boolean | Date;

/** A date-time accepted by the comparison operators: a `Date` or an ISO 8601 date-time string. */
export type FilterDate = Date | string;

// Field names are written verbatim, so they are restricted to the characters Klaviyo field paths use.
const FIELD = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

// Offset or Z is required: an unzoned date-time would be read in the server's zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function checkField(field: string): string {
  if (typeof field !== "string" || !FIELD.test(field)) {
    throw new TypeError(`filter: invalid field name ${JSON.stringify(field)}`);
  }
  return field;
}

/**
 * Quotes a string for a filter expression: double quotes, with `\` and `"` escaped by a backslash.
 *
 * @param value - Any string (ids may contain quotes, commas, parentheses).
 */
export function quoteFilterString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function formatDate(value: FilterDate): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("filter: invalid Date");
    return value.toISOString();
  }
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`filter: expected an ISO 8601 date-time with offset, got ${JSON.stringify(value)}`);
  }
  return value;
}

function formatValue(value: FilterValue): string {
  if (typeof value === "string") return quoteFilterString(value);
  if (value instanceof Date) return formatDate(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new TypeError(`filter: unsupported value ${String(value)}`);
}

function compare(op: string, field: string, date: FilterDate): string {
  return `${op}(${checkField(field)},${formatDate(date)})`;
}

/** Builders for Klaviyo filter expressions; each returns the expression string. */
export const filter = {
  /**
   * `equals(field,value)`.
   *
   * @param field - Field path such as `coupon.id` or `status`.
   * @param value - Strings are quoted and escaped; dates are written as unquoted ISO strings.
   */
  equals(field: string, value: FilterValue): string {
    return `equals(${checkField(field)},${formatValue(value)})`;
  },

  /**
   * `any(field,[v1,v2,...])`: matches any of the values.
   *
   * @param field - Field path such as `coupon.id`.
   * @param values - At least one value.
   */
  any(field: string, values: readonly FilterValue[]): string {
    if (!Array.isArray(values) || values.length === 0)
      throw new TypeError("filter.any: needs at least one value");
    return `any(${checkField(field)},[${values.map(formatValue).join(",")}])`;
  },

  /**
   * `greater-or-equal(field,date)`.
   *
   * @param field - A date-time field such as `expires_at`.
   * @param date - A `Date` or ISO 8601 date-time string with offset.
   */
  greaterOrEqual(field: string, date: FilterDate): string {
    return compare("greater-or-equal", field, date);
  },

  /**
   * `greater-than(field,date)`.
   *
   * @param field - A date-time field such as `expires_at`.
   * @param date - A `Date` or ISO 8601 date-time string with offset.
   */
  greaterThan(field: string, date: FilterDate): string {
    return compare("greater-than", field, date);
  },

  /**
   * `less-or-equal(field,date)`.
   *
   * @param field - A date-time field such as `expires_at`.
   * @param date - A `Date` or ISO 8601 date-time string with offset.
   */
  lessOrEqual(field: string, date: FilterDate): string {
    return compare("less-or-equal", field, date);
  },

  /**
   * `less-than(field,date)`.
   *
   * @param field - A date-time field such as `expires_at`.
   * @param date - A `Date` or ISO 8601 date-time string with offset.
   */
  lessThan(field: string, date: FilterDate): string {
    return compare("less-than", field, date);
  },

  /**
   * `and(e1,e2,...)`. A single expression is returned unchanged.
   *
   * @param exprs - Expressions made by this builder (raw strings are not re-escaped).
   */
  and(...exprs: string[]): string {
    if (exprs.length === 0) throw new TypeError("filter.and: needs at least one expression");
    for (const e of exprs) {
      if (typeof e !== "string" || e.length === 0) throw new TypeError("filter.and: empty expression");
    }
    return exprs.length === 1 ? exprs[0] : `and(${exprs.join(",")})`;
  },
} as const;
