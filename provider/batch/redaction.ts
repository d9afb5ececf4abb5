/**
 * Keeping codes out of error text. Codes are money and secret in state, but Pulumi prints a handler's
 * error message (and, for check, diff, read and delete, its stack) in plain text, and stores the reasons
 * of a partially created batch in the state unencrypted. Every error leaving a batch handler therefore
 * passes through {@link redactError}.
 */

// A code is at most 64 characters; a longer string (refused by check) still masks to a short text.
const MASK_MAX_STARS = 62;

/** A form of `code` that tells codes apart in a message without revealing them: `SP*********(11)`. */
export function maskCode(code: string): string {
  const shown = Math.min(2, Math.floor(code.length / 4));
  const stars = Math.min(MASK_MAX_STARS, Math.max(3, code.length - shown));
  return `${code.slice(0, shown)}${"*".repeat(stars)}(${code.length})`;
}

/** A code id in an API path (`/api/coupon-codes/<coupon>-<code>`): always masked, known code or not. */
const CODE_PATH = /(\/api\/coupon-codes\/)([^\s/?#"'`,;)]+)/g;
const TOKEN = /[A-Za-z0-9_-]+/g;

/**
 * Replaces in `text` every occurrence of one of `codes` (compared case-insensitively, also inside a
 * `<couponId>-<code>` id) and every code id in an API path by its masked form.
 */
export function redactCodes(text: string, codes: ReadonlySet<string>, couponId?: string): string {
  const prefix = couponId ? `${couponId.toUpperCase()}-` : undefined;
  const masked = text.replace(CODE_PATH, (whole, path: string, id: string) =>
    id === "{id}" ? whole : path + maskCode(decodeSafe(id)),
  );
  if (codes.size === 0) return masked;
  return masked.replace(TOKEN, (token) => {
    const upper = token.toUpperCase();
    if (codes.has(upper)) return maskCode(token);
    if (prefix && upper.startsWith(prefix) && codes.has(upper.slice(prefix.length))) {
      return token.slice(0, prefix.length) + maskCode(token.slice(prefix.length));
    }
    return token;
  });
}

/** Upper-cased codes for {@link redactCodes}. */
export function codeSet(...lists: Array<Iterable<unknown> | null | undefined>): Set<string> {
  const set = new Set<string>();
  for (const list of lists) {
    for (const code of list ?? []) if (typeof code === "string" && code !== "") set.add(code.toUpperCase());
  }
  return set;
}

/**
 * Redacts an error's message, stack and `reasons` in place (so a partial-state error keeps its `id` and
 * `properties`) and returns it. Non-errors become errors with redacted text.
 */
export function redactError(err: unknown, codes: ReadonlySet<string>, couponId?: string): Error {
  if (!(err instanceof Error)) return new Error(redactCodes(String(err), codes, couponId));
  err.message = redactCodes(err.message, codes, couponId);
  if (err.stack) err.stack = redactCodes(err.stack, codes, couponId);
  const withReasons = err as Error & { reasons?: unknown };
  if (Array.isArray(withReasons.reasons)) {
    withReasons.reasons = withReasons.reasons.map((r) =>
      typeof r === "string" ? redactCodes(r, codes, couponId) : r,
    );
  }
  return err;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
