import type { RedisOptions } from 'bullmq';

/**
 * ioredis options for a REDIS_URL. Workers block on Redis and must never give
 * up a command (maxRetriesPerRequest: null); the api must fail fast when Redis
 * is down (no offline queue) so a request gets a 503 instead of hanging.
 */
export function redisOptions(redisUrl: string, role: 'worker' | 'producer'): RedisOptions {
  const u = new URL(redisUrl);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5000,
    ...(role === 'worker' ? { maxRetriesPerRequest: null, enableOfflineQueue: true } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  };
}
