import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, str } from './env.parsers.js';

export interface MetricsConfig {
  /**
   * When set, GET /metrics (api and worker) answers only a request carrying it as a
   * bearer token: metric labels name queues, providers and models, which a deployment
   * reachable from outside may not want to show. Unset: /metrics is open (scraped inside
   * the cluster network).
   */
  token?: string;
}

export function parseMetricsConfig(env: Env): MetricsConfig {
  const token = str(env, 'METRICS_TOKEN');
  // What an Authorization header can carry as one token: visible ASCII, no spaces.
  if (token !== undefined && !/^[\x21-\x7e]{1,512}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be 1..512 visible ASCII characters without spaces (it is sent as "Authorization: Bearer <token>")');
  }
  return { token };
}

export const metricsConfig = registerAs('metrics', () => parseMetricsConfig(process.env));
