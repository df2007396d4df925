import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, str, url } from './env.parsers.js';

export interface RedisConfig {
  url: string;
  /** BullMQ key prefix: separate deployments (and test files) can share one Redis. */
  queuePrefix: string;
}

export function parseRedisConfig(env: Env): RedisConfig {
  const prefix = str(env, 'QUEUE_PREFIX', 'blinked')!;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new ConfigError(`QUEUE_PREFIX may hold only letters, digits, "_", "." and "-" (1..64), got "${prefix}"`);
  }
  return {
    url: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']).toString(),
    queuePrefix: prefix,
  };
}

export const redisConfig = registerAs('redis', () => parseRedisConfig(process.env));
