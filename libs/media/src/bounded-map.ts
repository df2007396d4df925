import { availableParallelism } from 'node:os';

/**
 * How many slides the deck stage renders at once. Drawing is synchronous on the main
 * thread, but encoding (fast-png.ts) and uploading wait on other threads, so a few slides
 * in flight keep every core busy; more would only hold more canvases (~25 MB each at
 * 1080p) without finishing sooner.
 */
export function slideConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

/**
 * fn over items, at most `limit` at a time, results in the items' order. After the first
 * failure or an abort no further item starts; the ones under way finish (they hold no
 * resource to release early) and the first error is thrown.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      if (signal?.aborted) {
        failure ??= { error: signal.reason };
        return;
      }
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return results;
}
