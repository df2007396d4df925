import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisConfig } from '@app/config';
import { bullPrefix, createRedisClient, errorMessage, type RedisClient, ThrottledWarning, withinMs } from '@app/jobs';

/** One counted hit in a fixed window. */
export interface Hit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window (and its count) ends. */
  resetMs: number;
}

// INCR and the window's expiry in one step, on one key (so a cluster never sees a
// cross-slot script). An expiry that is missing (-1) is set again: a count must never live forever.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

// Takes back a hit that turned out not to count (a successful sign-in from an address), never below zero.
const UNDO_SCRIPT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return n`;

const OPERATION_TIMEOUT_MS = 1000;

type ScriptClient = RedisClient & {
  limiterHit(key: string, windowMs: number): Promise<[number, number]>;
  limiterUndo(key: string): Promise<number>;
};

/**
 * Fixed-window counters in Redis, shared by every api replica of a deployment:
 * keys live under QUEUE_PREFIX, so two deployments on one Redis never share them.
 * Opened through createRedisClient, so one server, Sentinel and Cluster all work.
 *
 * When Redis does not answer (within 1 s), the limits are not enforced: answering
 * 503 to every sign-in during a Redis blip would hurt more than a minute without
 * throttling. A warning is logged at most every 30 s. Generation quotas do not
 * depend on this: they are counted in PostgreSQL.
 */
@Injectable()
export class RedisLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('Limits');
  private readonly client: ScriptClient;
  private readonly prefix: string;
  private readonly warning = new ThrottledWarning(this.logger);

  constructor(config: ConfigService) {
    const redis = config.getOrThrow<RedisConfig>('redis');
    // The deployment's key prefix as BullMQ uses it ({prefix} on a cluster), so every key
    // of a deployment carries one recognisable prefix.
    this.prefix = `${bullPrefix(redis)}:limits`;
    const client = createRedisClient(redis, 'producer', { connectionName: 'blinked-api-limits', autoPipelining: true });
    // Reconnection errors are reported through failOpen, at most every 30 s, not once per retry.
    client.on('error', () => undefined);
    client.defineCommand('limiterHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    client.defineCommand('limiterUndo', { numberOfKeys: 1, lua: UNDO_SCRIPT });
    this.client = client as ScriptClient;
  }

  /** The full Redis key of a counter: `<QUEUE_PREFIX>:limits:<name>`. */
  key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  /** Counts a hit; undefined when Redis could not be asked (the caller lets the request through). */
  async hit(name: string, windowMs: number): Promise<Hit | undefined> {
    const result = await this.attempt(`count ${name.split(':')[0]}`, () => this.client.limiterHit(this.key(name), windowMs));
    return result && { count: Number(result[0]), resetMs: Math.max(0, Number(result[1])) };
  }

  /** Takes one hit back. */
  async undo(name: string): Promise<void> {
    await this.attempt(`undo ${name.split(':')[0]}`, () => this.client.limiterUndo(this.key(name)));
  }

  /** Forgets a counter (a successful sign-in clears its account's failures). */
  async reset(name: string): Promise<void> {
    await this.attempt(`reset ${name.split(':')[0]}`, () => this.client.del(this.key(name)));
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
    await Promise.resolve();
  }

  private async attempt<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withinMs(run(), OPERATION_TIMEOUT_MS);
    } catch (e) {
      this.warning.warn(`did not answer (${what}: ${errorMessage(e)}); rate limits are not enforced until it does (quotas still are)`);
      return undefined;
    }
  }
}
