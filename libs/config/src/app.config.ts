import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, list, oneOf, str } from './env.parsers.js';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Origins allowed by CORS; empty means CORS is off. `*` allows any. */
  corsOrigins: string[];
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimit: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /**
   * Which proxies may say who the client is (X-Forwarded-For, -Proto): false (none: the
   * socket's peer is the client), true (any: only behind a proxy that overwrites the
   * header), a hop count, or the proxies' addresses/CIDRs. Per-address sign-in limits
   * rely on it: trusting a header the client can set lets it pick its own address.
   */
  trustProxy: boolean | number | string[];
}

function trustProxy(env: Env): AppConfig['trustProxy'] {
  const raw = (str(env, 'TRUST_PROXY', '') ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((a) => a.trim());
  if (list.some((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(`TRUST_PROXY must be true, false, a hop count or proxy addresses/CIDRs separated by commas, got "${raw}"`);
  }
  return list;
}

export function parseAppConfig(env: Env): AppConfig {
  return {
    nodeEnv: oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development'),
    port: int(env, 'PORT', 8000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0')!,
    corsOrigins: list(env, 'CORS_ORIGINS'),
    bodyLimit: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'], 'log'),
    trustProxy: trustProxy(env),
  };
}

export const appConfig = registerAs('app', () => parseAppConfig(process.env));

/** The Nest logger levels enabled by a LOG_LEVEL (each level includes the ones above it). */
export function logLevels(level: AppConfig['logLevel']): AppConfig['logLevel'][] {
  const order: AppConfig['logLevel'][] = ['error', 'warn', 'log', 'debug', 'verbose'];
  return order.slice(0, order.indexOf(level) + 1);
}
