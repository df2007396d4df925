import type { DestinationStream } from 'pino';
import { type Env, parseAppConfig, secretValues } from '@app/config';
import { AppLogger } from './app-logger.js';
import { createRootLogger, type ProcessName } from './root-logger.js';

/** The logger a process starts with (after its configuration was validated), from NODE_ENV, LOG_LEVEL and its secrets. */
export async function createAppLogger(app: ProcessName, env: Env, destination?: DestinationStream): Promise<AppLogger> {
  const config = parseAppConfig(env);
  const root = await createRootLogger({ app, nodeEnv: config.nodeEnv, logLevel: config.logLevel, secrets: secretValues(env), destination });
  return new AppLogger(root);
}
