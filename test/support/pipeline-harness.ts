import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiHarness, startApi } from './api-harness.js';
import { deleteKeysUnder } from './redis-keys.js';
import { startWorker, type WorkerProcess } from './worker-process.js';
import { waitFor } from './wait.js';

export interface PipelineHarness {
  api: ApiHarness;
  workers: WorkerProcess[];
  storageDir: string;
  env: Record<string, string>;
  addWorker(extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  close(): Promise<void>;
}

/**
 * The whole stack for an end-to-end test: the api in this process, the worker
 * as a separate process (the built one), a private database, queue prefix and
 * storage directory. `workerEnv` picks providers (offline/espeak by default);
 * `options.sharedEnv` goes to the api and the worker alike (e.g. JOB_BACKOFF_MS,
 * which both read: the api adds slides jobs, the worker voice and stitch jobs).
 */
export async function startPipeline(
  workerEnv: Record<string, string> = {},
  options: {
    sharedEnv?: Record<string, string>;
    /** The worker's DATABASE_URL from the test database's (e.g. through a TcpGate). */
    workerDatabaseUrl?: (url: string) => string;
  } = {},
): Promise<PipelineHarness> {
  const storageDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-'));
  const api = await startApi({ STORAGE_DIR: storageDir, ...options.sharedEnv });
  const env = {
    DATABASE_URL: options.workerDatabaseUrl ? options.workerDatabaseUrl(api.env.DATABASE_URL!) : api.env.DATABASE_URL!,
    REDIS_URL: api.env.REDIS_URL!,
    QUEUE_PREFIX: api.env.QUEUE_PREFIX!,
    STORAGE_DIR: storageDir,
    NODE_ENV: 'test',
    LLM_PROVIDER: 'offline',
    TTS_PROVIDER: 'espeak',
    ...options.sharedEnv,
    ...workerEnv,
  };
  const workers: WorkerProcess[] = [];
  const addWorker = async (extraEnv: Record<string, string> = {}) => {
    const w = await startWorker({ ...env, ...extraEnv });
    workers.push(w);
    return w;
  };
  await addWorker();
  return {
    api,
    workers,
    storageDir,
    env,
    addWorker,
    close: async () => {
      await Promise.all(workers.map((w) => w.stop(true)));
      await api.close();
      await rm(storageDir, { recursive: true, force: true });
      await deleteKeysUnder(env.REDIS_URL, env.QUEUE_PREFIX);
    },
  };
}

export async function registerUser(api: Pick<ApiHarness, 'http'>, name: string): Promise<string> {
  const res = await api.http.post('/api/v1/auth/register', { email: `${name}@example.com`, username: name, password: 'correct horse battery' });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${res.text}`);
  return res.body.accessToken as string;
}

/** Polls a video until it reaches a final status, recording every progress value seen. */
export async function waitForVideo(api: Pick<ApiHarness, 'http'>, token: string, id: string, timeoutMs = 120_000) {
  const seen: { status: string; progress: number }[] = [];
  const video = await waitFor(
    async () => {
      const res = await api.http.get(`/api/v1/videos/${id}`, token);
      if (res.status === 200) seen.push({ status: res.body.status, progress: res.body.progress });
      return res.body;
    },
    (v) => ['completed', 'failed', 'cancelled'].includes(v?.status),
    timeoutMs,
    `video ${id} to finish`,
  );
  return { video, seen };
}
