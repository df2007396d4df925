import { existsSync } from 'node:fs';
import { ConfigError } from './config.error.js';
import { type ConfigFactory, ConfigModule } from '@nestjs/config';
import { appConfig, parseAppConfig } from './app.config.js';
import { authConfig, parseAuthConfig } from './auth.config.js';
import { databaseConfig, parseDatabaseConfig } from './database.config.js';
import type { Env } from './env.parsers.js';
import { limitsConfig, parseLimitsConfig } from './limits.config.js';
import { llmConfig, parseLlmConfig } from './llm.config.js';
import { metricsConfig, parseMetricsConfig } from './metrics.config.js';
import { parseRedisConfig, redisConfig } from './redis.config.js';
import { parseStorageConfig, storageConfig } from './storage.config.js';
import { parseTtsConfig, ttsConfig } from './tts.config.js';
import { imageConfig, parseImageConfig } from './image.config.js';
import { parseWebhooksConfig, webhooksConfig } from './webhooks.config.js';
import { parseWorkerConfig, workerConfig } from './worker.config.js';

export type AppName = 'api' | 'worker';

const shared = {
  factories: [appConfig, databaseConfig, redisConfig, storageConfig, webhooksConfig, metricsConfig] as ConfigFactory[],
  parsers: [parseAppConfig, parseDatabaseConfig, parseRedisConfig, parseStorageConfig, parseWebhooksConfig, parseMetricsConfig] as ((
    env: Env,
  ) => unknown)[],
};

/**
 * Which namespaces each app reads: the api never needs provider keys. The worker reads
 * SECRET_KEY (auth, last) for webhooks: it decrypts the endpoints' signing secrets the
 * api stored and signs the media links in event bodies, so both must share one.
 */
const APPS: Record<AppName, typeof shared> = {
  api: { factories: [...shared.factories, authConfig, limitsConfig], parsers: [...shared.parsers, parseAuthConfig, parseLimitsConfig] },
  worker: {
    factories: [...shared.factories, llmConfig, ttsConfig, imageConfig, workerConfig, authConfig],
    parsers: [...shared.parsers, parseLlmConfig, parseTtsConfig, parseImageConfig, parseWorkerConfig, parseAuthConfig],
  },
};

/**
 * Loads `.env` (when present) into process.env without overriding what the
 * shell already set, so `FOO=1 npm run start:api` wins over the file.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates an app's whole configuration once, up front, so a bad value stops
 * the process with one line (a ConfigError) before Nest starts building modules.
 */
export function checkConfig(app: AppName, env: Env = process.env): void {
  for (const parse of APPS[app].parsers) parse(env);
}

/** The global ConfigModule: `.env` was already loaded by loadDotEnv(), so it is not read again here. */
export function configModule(app: AppName) {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: APPS[app].factories });
}

/**
 * Start-up preamble shared by both processes: read `.env`, validate, and on a
 * bad value print one line and exit 1 (no stack: the message says what to fix).
 */
export function loadConfigOrExit(app: AppName): void {
  loadDotEnv();
  try {
    checkConfig(app);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`blinked ${app}: configuration error: ${e.message}`);
    process.exit(1);
  }
}
