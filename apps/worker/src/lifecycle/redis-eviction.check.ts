import type { RedisConfig } from '@app/config';
import { createRedisClient, whenReady } from '@app/jobs';
import type { Redis } from 'ioredis';

const ANSWER_MS = 3000;

export interface EvictionLogger {
  warn(message: string): void;
  debug(message: string): void;
}

async function policyOf(node: Redis): Promise<string> {
  const reply = (await node.config('GET', 'maxmemory-policy')) as unknown;
  // RESP2 answers [name, value]; RESP3 a map, which ioredis gives as an object or a Map.
  const value = Array.isArray(reply)
    ? reply[1]
    : reply instanceof Map
      ? reply.get('maxmemory-policy')
      : (reply as Record<string, unknown>)['maxmemory-policy'];
  return String(value);
}

/**
 * BullMQ needs `maxmemory-policy noeviction`: with any other policy a full Redis
 * silently drops keys, and with them jobs and their locks. The worker says so
 * once at start (for each cluster master that differs). Managed services often
 * refuse CONFIG: that is noted at debug level and start goes on, as it does when
 * Redis does not answer yet (BullMQ waits for it). Returns what was warned.
 */
export async function warnUnlessNoEviction(config: Pick<RedisConfig, 'url' | 'topology'>, logger: EvictionLogger): Promise<string[]> {
  const client = createRedisClient(config, 'producer', { connectionName: 'blinked-eviction-check', singleAttempt: true });
  client.on('error', () => undefined); // reported below, once
  const warnings: string[] = [];
  try {
    await whenReady(client, ANSWER_MS);
    const nodes: Redis[] = 'nodes' in client ? client.nodes('master') : [client];
    for (const node of nodes) {
      const policy = await policyOf(node);
      if (policy === 'noeviction') continue;
      const where = 'nodes' in client ? ` on ${node.options.host}:${node.options.port}` : '';
      warnings.push(
        `Redis maxmemory-policy is "${policy}"${where}: BullMQ needs "noeviction", or a full Redis drops queued jobs and their locks; set it in redis.conf or with CONFIG SET maxmemory-policy noeviction`,
      );
    }
  } catch (e) {
    logger.debug(`could not check Redis maxmemory-policy (${(e as Error).message}); going on`);
  } finally {
    client.disconnect();
  }
  warnings.forEach((w) => logger.warn(w));
  return warnings;
}
