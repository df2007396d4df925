import { registerAs } from '@nestjs/config';
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
}

export function parseAppConfig(env: Env): AppConfig {
  return {
    nodeEnv: oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development'),
    port: int(env, 'PORT', 8000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0')!,
    corsOrigins: list(env, 'CORS_ORIGINS'),
    bodyLimit: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'], 'log'),
  };
}

export const appConfig = registerAs('app', () => parseAppConfig(process.env));

/** The Nest logger levels enabled by a LOG_LEVEL (each level includes the ones above it). */
export function logLevels(level: AppConfig['logLevel']): AppConfig['logLevel'][] {
  const order: AppConfig['logLevel'][] = ['error', 'warn', 'log', 'debug', 'verbose'];
  return order.slice(0, order.indexOf(level) + 1);
}
