/**
 * Bounded concurrency for bulk per-code calls (deletes, expiry patches). The client's rate
 * limiter paces requests; this bounds how many are in flight (and in memory) at once.
 */

/** Runs `fn` over `items` with at most `limit` calls in flight; resolves when all settle. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Sleeps without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
