/**
 * Date-time handling. Instants are kept as integer microseconds since the epoch because Klaviyo
 * renders fractional seconds with six digits; millisecond `Date`s would silently round them.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;

/** Options for {@link parseDateTime}. */
export interface ParseDateTimeOptions {
  /** Accept a missing UTC offset (read as UTC). Request bodies require RFC 3339; filters are lenient. */
  allowNaive?: boolean;
}

/**
 * Parses an RFC 3339 date-time into microseconds since the epoch, or returns `undefined` when the text
 * is not a valid date-time (including impossible dates such as February 30th).
 */
export function parseDateTime(text: string, options: ParseDateTimeOptions = {}): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  if (offset === undefined && !options.allowNaive) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls impossible days over into the next month; a round trip detects that.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (offset !== undefined && offset.toUpperCase() !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const micros = fraction ? Number((fraction.slice(1) + "000000").slice(0, 6)) : 0;
  return (ms - offsetMinutes * 60_000) * 1000 + micros;
}

/** Renders microseconds since the epoch the way Klaviyo does: `2024-04-20T00:00:00+00:00`. */
export function formatDateTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, "0")}+00:00`;
}

/** Renders an optional instant, keeping `null` as `null`. */
export function formatOptional(micros: number | null): string | null {
  return micros === null ? null : formatDateTime(micros);
}

/** Converts milliseconds (a clock reading) to microseconds. */
export function msToMicros(ms: number): number {
  return Math.round(ms) * 1000;
}

/** Adds whole calendar years, keeping the time of day (Feb 29th becomes Mar 1st, as JavaScript does). */
export function addYears(micros: number, years: number): number {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime() * 1000 + rest;
}
