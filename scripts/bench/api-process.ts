import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import { spawnNodeUntil } from './child-process.js';

export const API_MAIN = resolve('dist/apps/api/src/main.js');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchApi {
  baseUrl: string;
  database: BenchDatabase;
  queuePrefix: string;
  /** Stops the api, drops its database and removes its storage folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The built api (`npm run build` first) as production runs it, in its own process on a
 * free port, against a fresh database (the api migrates it at start), its own Redis key
 * prefix and storage folder. `env` adds to or overrides the production-like settings.
 */
export async function startBenchApi(label: string, env: Record<string, string> = {}): Promise<BenchApi> {
  const database = await createBenchDatabase(label);
  const storage = await mkdtemp(join(tmpdir(), `blinked-bench-${label}-`));
  const queuePrefix = `bench-${label}-${randomBytes(4).toString('hex')}`;
  let stopped = false;
  const cleanUp = async (stopApi: () => Promise<void>) => {
    if (stopped) return;
    stopped = true;
    await stopApi().catch(() => undefined);
    await database.drop().catch((e: unknown) => console.error(`could not drop ${database.name}: ${String(e)}`));
    await rm(storage, { recursive: true, force: true });
  };
  try {
    const api = await spawnNodeUntil(
      [API_MAIN],
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        SECRET_KEY: randomBytes(32).toString('hex'),
        DATABASE_URL: database.url,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        STORAGE_DRIVER: 'local',
        STORAGE_DIR: storage,
        ...env,
      },
      /blinked api listening on (http:\/\/[^\s]+?)\/? \(/,
    );
    return { baseUrl: api.match[1]!, database, queuePrefix, stop: () => cleanUp(api.stop) };
  } catch (e) {
    await cleanUp(async () => undefined);
    throw e;
  }
}
