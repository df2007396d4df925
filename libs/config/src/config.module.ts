import { existsSync } from 'node:fs';
import { type ConfigFactory, ConfigModule } from '@nestjs/config';
import { appConfig, parseAppConfig } from './app.config.js';
import { authConfig, parseAuthConfig } from './auth.config.js';
import { databaseConfig, parseDatabaseConfig } from './database.config.js';
import type { Env } from './env.parsers.js';
import { parseRedisConfig, redisConfig } from './redis.config.js';
import { parseStorageConfig, storageConfig } from './storage.config.js';

/** Every namespace both apps read. Apps may add their own to `extra`. */
export const sharedConfig = [appConfig, databaseConfig, redisConfig, storageConfig, authConfig];

/**
 * Loads `.env` (when present) into process.env without overriding what the
 * shell already set, so `FOO=1 npm run start:api` wins over the file.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates the whole configuration once, up front, so a bad value stops the
 * process with one line (a ConfigError) before Nest starts building modules.
 */
export function checkConfig(env: Env = process.env, extra: ((env: Env) => unknown)[] = []): void {
  for (const parse of [parseAppConfig, parseDatabaseConfig, parseRedisConfig, parseStorageConfig, parseAuthConfig, ...extra]) {
    parse(env);
  }
}

/** The global ConfigModule: `.env` was already loaded by loadDotEnv(), so it is not read again here. */
export function configModule(extra: ConfigFactory[] = []) {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: [...sharedConfig, ...extra] });
}
