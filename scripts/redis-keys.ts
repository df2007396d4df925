import { Redis } from 'ioredis';

/**
 * Removes every key under a prefix (queues, rate limits, locks, snapshots), so Redis is left
 * as it was found: by the benchmarks' stacks and the tests. A Redis that does not answer fails
 * it after two tries instead of holding up a cleanup.
 */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
