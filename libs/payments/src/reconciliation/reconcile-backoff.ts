/** Exponential backoff with ±20 % jitter, so replicas and attempts do not march in step. */
export function reconcileBackoffMs(
  queriesSoFar: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, queriesSoFar - 1)));
  return Math.max(1, Math.round(exp * (0.8 + 0.4 * random())));
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
