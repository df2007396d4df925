import { hostname } from 'node:os';
import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from 'pino';
import type { AppConfig } from '@app/config';
import { currentLogFields } from './log-context.js';
import { secretScrubber } from './secret-scrubber.js';

export type ProcessName = 'api' | 'worker';

export interface RootLoggerOptions {
  app: ProcessName;
  nodeEnv: AppConfig['nodeEnv'];
  logLevel: AppConfig['logLevel'];
  /** Values scrubbed from every line (secretValues() of @app/config). */
  secrets?: readonly string[];
  /** Where lines go; standard output by default. Tests pass their capture buffer. */
  destination?: DestinationStream;
}

/** LOG_LEVEL keeps Nest's names; pino has its own for the same five. */
const PINO_LEVELS: Record<AppConfig['logLevel'], Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Structured fields that may hold credentials, whatever logs them. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.secretKey',
  '*.apiKey',
  '*.token',
];

/**
 * The process's one pino logger: JSON lines in production and in tests (what log
 * collectors and the suite parse), pino-pretty in development. Every line carries the
 * process name and the fields of the unit of work it was logged in (withLogFields).
 */
export async function createRootLogger(options: RootLoggerOptions): Promise<Logger> {
  const pretty = options.nodeEnv === 'development' && !options.destination ? await prettyStream() : undefined;
  const config: LoggerOptions = {
    level: PINO_LEVELS[options.logLevel],
    base: { app: options.app, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names, not numbers, in JSON: what log queries filter on. pino-pretty reads the numbers.
    formatters: pretty ? {} : { level: (label) => ({ level: label }) },
    mixin: () => ({ ...currentLogFields() }),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const scrub = secretScrubber(options.secrets ?? []);
  if (scrub) config.hooks = { streamWrite: scrub };
  // Synchronous writes to standard output: a process that exits right after logging
  // (a failed start, a forced shutdown) loses nothing.
  return pino(config, pretty ?? options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** pino-pretty is a development dependency: an install without it logs JSON instead of failing. */
async function prettyStream(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      sync: true,
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l',
      // As Nest's console logger showed it: the context before the message.
      messageFormat: '{if context}[{context}] {end}{msg}',
      ignore: 'pid,hostname,app,context',
    });
  } catch {
    return undefined;
  }
}
