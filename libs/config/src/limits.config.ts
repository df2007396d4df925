import { registerAs } from '@nestjs/config';
import { type Env, int } from './env.parsers.js';

/**
 * How much one account, or one address, may ask of the api. Request and sign-in
 * counters live in Redis under QUEUE_PREFIX, so every api replica of a deployment
 * enforces one limit; generation quotas are counted in PostgreSQL.
 */
export interface LimitsConfig {
  login: {
    /** Failed sign-ins for one account (any address) before it answers 429 for the rest of the window. */
    maxFailuresPerAccount: number;
    /** Failed sign-ins from one address (any account) before it answers 429. */
    maxFailuresPerIp: number;
    windowSeconds: number;
  };
  /** Registrations one address may attempt per hour. */
  registerPerIpPerHour: number;
  /** Requests one signed-in user may make per minute (media streams, events and health excepted). */
  requestsPerMinute: number;
  quota: {
    /** Videos not yet completed, failed or cancelled, per user (users.quota_concurrent overrides). */
    concurrentVideos: number;
    /** Videos created in a rolling 24 h, per user (users.quota_daily overrides). */
    dailyVideos: number;
  };
}

const MILLION = 1_000_000;

export function parseLimitsConfig(env: Env): LimitsConfig {
  return {
    login: {
      maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES', 10, 1, MILLION),
      maxFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1, MILLION),
      windowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 15 * 60, 1, 7 * 86_400),
    },
    registerPerIpPerHour: int(env, 'REGISTER_PER_IP_PER_HOUR', 20, 1, MILLION),
    requestsPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 300, 1, MILLION),
    quota: {
      concurrentVideos: int(env, 'QUOTA_CONCURRENT_VIDEOS', 3, 1, MILLION),
      dailyVideos: int(env, 'QUOTA_DAILY_VIDEOS', 50, 1, MILLION),
    },
  };
}

export const limitsConfig = registerAs('limits', () => parseLimitsConfig(process.env));
