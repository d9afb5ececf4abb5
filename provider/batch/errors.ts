/**
 * Errors of `CouponCodeBatch` that carry partial state, and explanations of Klaviyo's
 * expiration conflicts for coupons created in the Klaviyo UI.
 */
import { maskCode } from "./redaction";

/**
 * Makes the error Pulumi's dynamic-provider host reports as "created but failed to
 * initialise": the resource is kept in state with `properties`, so the next `pulumi up`
 * resumes from exactly what exists. `properties` must include `__provider`, which the host does
 * not add to error properties itself.
 */
export function partialStateError(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  reasons: string[],
): Error {
  const err = new Error(message) as Error & {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
  };
  err.id = id;
  err.properties = properties;
  err.reasons = reasons;
  return err;
}

const RULES = {
  missing: {
    rule: "the coupon was created in the Klaviyo UI with an expiration date, but the codes have none",
    fix: "set expiresAt on the batch to the coupon's expiration date shown in the Klaviyo UI",
  },
  mismatch: {
    rule: "the coupon was created in the Klaviyo UI with an expiration date, and the codes' expiresAt differs from it",
    fix: "set expiresAt on the batch to exactly the coupon's expiration date shown in the Klaviyo UI, or change it in the UI",
  },
  unexpected: {
    rule: "the coupon was created in the Klaviyo UI without an expiration date, but the codes have one",
    fix: "remove expiresAt from the batch, or give the coupon an expiration date in the Klaviyo UI",
  },
};

/** True when a per-code failure reason is one of Klaviyo's UI-coupon expiration conflicts. */
function isExpirationConflict(reason: string): boolean {
  return /expir/i.test(reason) && /(conflict|match|UI|manually)/i.test(reason);
}

/**
 * Explains expiration conflicts: which of the guide's three rules, how many codes (with
 * examples), and what to change. What we sent decides the rule where it can (no expiry sent
 * means "codes have none"); otherwise Klaviyo's wording tells a mismatch from an unexpected expiry.
 */
export function explainExpirationConflicts(
  couponId: string,
  failures: Map<string, string>,
  sentExpiresAt: string | null,
): string | undefined {
  const conflicted = [...failures].filter(([, reason]) => isExpirationConflict(reason));
  if (conflicted.length === 0) return undefined;
  const reason = conflicted[0][1];
  const which =
    sentExpiresAt === null
      ? RULES.missing
      : /(without|no|not have an?) (set )?expiration|cannot have/i.test(reason)
        ? RULES.unexpected
        : RULES.mismatch;
  const examples = conflicted.slice(0, 3).map(([code]) => maskCode(code));
  return (
    `Klaviyo refused ${conflicted.length} codes of coupon "${couponId}" (for example ${examples.join(", ")}) ` +
    `with an expiration conflict. Rule: ${which.rule}. Fix: ${which.fix}. Klaviyo said: ${reason}`
  );
}

/** Summarises per-code failures: the most common reasons with counts. */
export function summariseFailures(failures: Map<string, string>, limit = 3): string {
  const byReason = new Map<string, number>();
  for (const raw of failures.values()) {
    // A reason naming the code's URL would make every failure its own group (and print the code).
    const reason = raw.replace(/\/api\/coupon-codes\/[^\s:?]+/g, "/api/coupon-codes/{id}");
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  return [...byReason]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([reason, n]) => `${n} x ${reason}`)
    .join("; ");
}
