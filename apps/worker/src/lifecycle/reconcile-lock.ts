import { randomUUID } from 'node:crypto';
import { createRedisClient, type RedisClient, type Topology } from '@app/jobs';

// Changes the lock's expiry only while it is still ours: a lock that expired and was
// taken by another worker is left alone. A remaining time of 0 or less releases it.
const HOLD_UNTIL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/**
 * A lock with an expiry in Redis (SET NX PX): one reconciler pass at a time across
 * every worker sharing the queue prefix. Its own connection fails fast when Redis is
 * down (the pass is skipped and tried at the next interval) instead of waiting as the
 * BullMQ connections do.
 */
export class ReconcileLock {
  private readonly redis: RedisClient;

  constructor(
    redis: Topology,
    private readonly key: string,
  ) {
    // Commands wait for the first connection, but give up after one reconnect attempt.
    this.redis = createRedisClient(redis, 'producer', { connectionName: 'blinked-reconciler', waitForConnection: true });
    this.redis.on('error', () => undefined); // reported by the pass that fails, once
  }

  /** A token when the lock was free (it is now ours for `ttlMs`), undefined when another holder has it. */
  async tryAcquire(ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.key, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    return ok === 'OK' ? token : undefined;
  }

  /** Keeps our lock for `ms` more (so no other worker runs a pass before then), or releases it when `ms` <= 0. */
  async holdFor(token: string, ms: number): Promise<void> {
    await this.redis.eval(HOLD_UNTIL, 1, this.key, token, Math.ceil(ms));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
