/**
 * Which codes the batches of this provider process declare, per coupon and per batch.
 *
 * Why: two batches of one stack may list the same code (on purpose or not). Without this, removing
 * one batch deleted the shared codes in Klaviyo while the other still claimed them. One provider host
 * serves one Pulumi command, and every batch of the program passes through `check` (listed codes) or
 * create/update (generated codes) in it before Pulumi deletes batches that left the program, so a code
 * recorded here is declared by a batch of the running program. Batches are told apart by their
 * `generationSeed` (unique per stack and resource). Other stacks run in other processes: their
 * declarations are not visible (see the README).
 */

/** couponId -> batch identity -> declared codes (upper-cased). */
const declared = new Map<string, Map<string, Set<string>>>();

/**
 * Records the codes batch `batch` declares on `couponId` (case-insensitively), replacing what it
 * declared before in this process.
 */
export function recordDeclared(couponId: string, batch: string, codes: readonly unknown[]): void {
  let batches = declared.get(couponId);
  if (!batches) declared.set(couponId, (batches = new Map()));
  const set = new Set<string>();
  for (const code of codes) if (typeof code === "string") set.add(code.toUpperCase());
  batches.set(batch, set);
}

/**
 * Splits codes batch `batch` is about to delete into those no other batch of the running program
 * declares and those another batch still declares.
 */
export function splitByDeclared(
  couponId: string,
  batch: string | undefined,
  codes: readonly string[],
): { free: string[]; shared: string[] } {
  const others: Set<string>[] = [];
  for (const [key, set] of declared.get(couponId) ?? []) if (key !== batch) others.push(set);
  if (others.length === 0) return { free: [...codes], shared: [] };
  const free: string[] = [];
  const shared: string[] = [];
  for (const code of codes) {
    (others.some((set) => set.has(code.toUpperCase())) ? shared : free).push(code);
  }
  return { free, shared };
}
