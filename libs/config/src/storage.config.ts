import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { type Env, str } from './env.parsers.js';

export interface StorageConfig {
  /** Absolute directory where videos, slides and audio live, keyed by video id. */
  dir: string;
}

export function parseStorageConfig(env: Env): StorageConfig {
  return { dir: resolve(str(env, 'STORAGE_DIR', './data/storage')!) };
}

export const storageConfig = registerAs('storage', () => parseStorageConfig(process.env));
