import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, str, url } from './env.parsers.js';

export const DEFAULT_JOB_BACKOFF_MS = 2000;

export interface RedisConfig {
  url: string;
  /** BullMQ key prefix: separate deployments (and test files) can share one Redis. */
  queuePrefix: string;
  /**
   * First retry delay of a failed job (JOB_BACKOFF_MS, default 2000); later ones
   * double, with jitter. Read by both apps: the api adds slides jobs, the worker
   * adds voice and stitch jobs. End-to-end tests shorten it to exercise retries fast.
   */
  jobBackoffMs: number;
}

export function parseRedisConfig(env: Env): RedisConfig {
  const prefix = str(env, 'QUEUE_PREFIX', 'blinked')!;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new ConfigError(`QUEUE_PREFIX may hold only letters, digits, "_", "." and "-" (1..64), got "${prefix}"`);
  }
  return {
    url: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']).toString(),
    queuePrefix: prefix,
    jobBackoffMs: int(env, 'JOB_BACKOFF_MS', DEFAULT_JOB_BACKOFF_MS, 10, 600_000),
  };
}

export const redisConfig = registerAs('redis', () => parseRedisConfig(process.env));
