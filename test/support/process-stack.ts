import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENEROUS_LIMITS, TEST_SECRET } from './api-harness.js';
import { type ApiProcess, startApiProcess } from './api-process.js';
import { deleteKeysUnder } from './redis-keys.js';
import { uniquePrefix } from './test-db.js';
import { startWorker, type WorkerProcess } from './worker-process.js';

export interface ProcessStack {
  api: ApiProcess;
  worker: WorkerProcess;
  /** What the api and the worker share (database, Redis, queue prefix, storage). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The api and a worker, both as their own built processes (`npm run build` first),
 * on a database the test provides: for a server the test itself stops and starts
 * (test/support/private-postgres.ts), which an api inside the test process would share
 * with everything else in it. The api applies the migrations at start, as in production.
 */
export async function startProcessStack(
  databaseUrl: string,
  options: { sharedEnv?: Record<string, string>; workerEnv?: Record<string, string> } = {},
): Promise<ProcessStack> {
  const storageDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniquePrefix(),
    STORAGE_DIR: storageDir,
    SECRET_KEY: TEST_SECRET,
    BCRYPT_COST: '4',
    ...GENEROUS_LIMITS,
    ...options.sharedEnv,
  };
  let api: ApiProcess | undefined;
  try {
    api = await startApiProcess(env);
    const worker = await startWorker({ LLM_PROVIDER: 'offline', TTS_PROVIDER: 'espeak', ...env, ...options.workerEnv });
    return {
      api,
      worker,
      env,
      close: async () => {
        await worker.stop(true);
        await api!.stop();
        await rm(storageDir, { recursive: true, force: true });
        await deleteKeysUnder(env.REDIS_URL!, env.QUEUE_PREFIX!);
      },
    };
  } catch (e) {
    await api?.stop(true);
    await rm(storageDir, { recursive: true, force: true });
    throw e;
  }
}
