import { registerAs } from '@nestjs/config';
import { type Env, url } from './env.parsers.js';

export interface DatabaseConfig {
  url: string;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5432/blinked';

export function parseDatabaseConfig(env: Env): DatabaseConfig {
  return { url: url(env, 'DATABASE_URL', DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:']).toString() };
}

export const databaseConfig = registerAs('database', () => parseDatabaseConfig(process.env));
