import { registerAs } from '@nestjs/config';
import { type Env, int, num, oneOf } from './env.parsers.js';

/**
 * Webhook endpoints and their delivery. The api reads the URL rules (registration is
 * refused by the same rules the worker applies again at every delivery); the worker
 * reads all of it.
 */
export interface WebhooksConfig {
  /** http:// URLs too (development, tests); otherwise https only. */
  allowHttp: boolean;
  /**
   * URLs whose host is or resolves to a loopback, private, link-local or otherwise
   * non-public address too (a receiver on 127.0.0.1 in tests). Otherwise refused, as
   * server-side request forgery into our own network.
   */
  allowPrivate: boolean;
  /** The first retry of a failed delivery comes this long after it; each later one about 3 times later. */
  retryBaseMs: number;
  /** An endpoint whose deliveries have all failed for this long (none delivered in between) is disabled. */
  disableAfterHours: number;
  /** How often each worker moves new deliveries from the database outbox into the queue. */
  pollIntervalMs: number;
  /** One attempt's deadline, connection to answer: a receiver should answer at once and do its work afterwards. */
  timeoutMs: number;
}

const bool = (env: Env, name: string) => oneOf(env, name, ['true', 'false'], 'false') === 'true';

export function parseWebhooksConfig(env: Env): WebhooksConfig {
  return {
    allowHttp: bool(env, 'WEBHOOK_ALLOW_HTTP'),
    allowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE'),
    retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    // Fractions of an hour are allowed so a test can watch an endpoint get disabled.
    disableAfterHours: num(env, 'WEBHOOK_DISABLE_AFTER_HOURS', 120, 0, 24 * 365),
    pollIntervalMs: int(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 50, 60_000),
    timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
  };
}

export const webhooksConfig = registerAs('webhooks', () => parseWebhooksConfig(process.env));
