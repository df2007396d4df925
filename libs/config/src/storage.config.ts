import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { type Env, oneOf, str } from './env.parsers.js';

/** Storage drivers this build knows; libs/storage maps each name to an adapter. */
export const STORAGE_DRIVERS = ['local'] as const;
export type StorageDriverName = (typeof STORAGE_DRIVERS)[number];

export interface StorageConfig {
  /** Which adapter holds the files; checked at start-up so a typo stops the process in one line. */
  driver: StorageDriverName;
  /** Absolute directory where videos, slides and audio live, keyed by video id (driver `local`). */
  dir: string;
}

export function parseStorageConfig(env: Env): StorageConfig {
  return {
    driver: oneOf(env, 'STORAGE_DRIVER', STORAGE_DRIVERS, 'local'),
    dir: resolve(str(env, 'STORAGE_DIR', './data/storage')!),
  };
}

export const storageConfig = registerAs('storage', () => parseStorageConfig(process.env));
