/**
 * Errors of `CouponCodeBatch` that carry partial state, and explanations of Klaviyo's
 * expiration conflicts for coupons created in the Klaviyo UI.
 */

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

const CONFLICT_RULES = [
  {
    test: /(has|with) (a |an )?(set )?expiration.*(no|not have|without|missing).*expir/i,
    rule: "the coupon was created in the Klaviyo UI with an expiration date, but the codes have none",
    fix: "set expiresAt on the batch to the coupon's expiration date shown in the Klaviyo UI",
  },
  {
    test: /(do not|does not|don't|doesn't|must) match/i,
    rule: "the coupon was created in the Klaviyo UI with an expiration date, and the codes' expiresAt differs from it",
    fix: "set expiresAt on the batch to exactly the coupon's expiration date shown in the Klaviyo UI, or change it in the UI",
  },
  {
    test: /(no|not have|without) (a |an )?(set )?expiration.*(codes?|have|has) .*expir/i,
    rule: "the coupon was created in the Klaviyo UI without an expiration date, but the codes have one",
    fix: "remove expiresAt from the batch, or give the coupon an expiration date in the Klaviyo UI",
  },
];

/** True when a per-code failure reason is one of Klaviyo's UI-coupon expiration conflicts. */
export function isExpirationConflict(reason: string): boolean {
  return /expir/i.test(reason) && /(conflict|match|UI|manually)/i.test(reason);
}

/** Explains expiration conflicts: which rule, how many codes (with examples), what to change. */
export function explainExpirationConflicts(
  couponId: string,
  failures: Map<string, string>,
): string | undefined {
  const conflicted = [...failures].filter(([, reason]) => isExpirationConflict(reason));
  if (conflicted.length === 0) return undefined;
  const reason = conflicted[0][1];
  const known = CONFLICT_RULES.find((r) => r.test.test(reason));
  const examples = conflicted.slice(0, 3).map(([code]) => code);
  const rule = known
    ? `Rule: ${known.rule}. Fix: ${known.fix}.`
    : "Klaviyo requires codes of a UI-created coupon to carry exactly the coupon's expiration date " +
      "(none when the coupon has none). Fix: align expiresAt with the coupon's expiration in the Klaviyo UI.";
  return (
    `Klaviyo refused ${conflicted.length} codes of coupon "${couponId}" (for example ${examples.join(", ")}) ` +
    `with an expiration conflict: ${reason}. ${rule}`
  );
}

/** Summarises per-code failures: the most common reasons with counts. */
export function summariseFailures(failures: Map<string, string>, limit = 3): string {
  const byReason = new Map<string, number>();
  for (const reason of failures.values()) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  return [...byReason]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([reason, n]) => `${n} x ${reason}`)
    .join("; ");
}
