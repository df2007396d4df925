// A whole BlinkEd deployment for one benchmark: the BUILT api and worker(s) as their own
// processes with production settings, on a fresh migrated PostgreSQL database, their own
// Redis key prefix and local storage in a temp directory. Everything is undone by close(),
// or by cleanupAll() on a failure or Ctrl-C.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDatabase, dropDatabase } from '@app/db';
import { deleteKeysUnder } from '../redis-keys.js';
import { aborting, onCleanup } from './cleanup.js';

/** The built entry points of a checkout (this one by default; BENCH_BASELINE names another, built, for a baseline). */
function mains(checkout = '.') {
  return {
    api: resolve(checkout, 'dist/apps/api/src/main.js'),
    worker: resolve(checkout, 'dist/apps/worker/src/main.js'),
    migrate: resolve(checkout, 'dist/libs/db/src/migrate.js'),
  };
}
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A benchmark makes many videos as one user in little time: the per-user quotas and rate
 * limits (apps/api/src/limits, libs/config/src/limits.config.ts) are raised so they never
 * answer 429 and the figures are the pipeline's, not the limiter's.
 */
export const BENCH_LIMITS: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  QUOTA_CONCURRENT_VIDEOS: '100000',
  QUOTA_DAILY_VIDEOS: '1000000',
  REGISTER_PER_IP_PER_HOUR: '1000',
};

export interface StackOptions {
  /** Worker processes (default 1; 0 for the api alone). */
  workers?: number;
  /** For the api and the workers (e.g. TTS_PROVIDER, IMAGE_PROVIDER). */
  env?: Record<string, string>;
  /** Another checkout, built (`npm ci && npm run build` in it), whose api and worker run instead of this one's. */
  checkout?: string;
}

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  /** QUEUE_PREFIX: every Redis key of the stack is under it. */
  queuePrefix: string;
  /** Pids of the worker node processes (the roots of the trees the `rss` benchmark samples). */
  workerPids: number[];
  /** One statement against the stack's database (what the benchmark reads: timestamps). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Where the processes' output goes (removed by close(): see printLogTails). */
  logDir: string;
  /** Stops everything and removes what it made; `abrupt` kills the processes instead of letting running jobs finish. */
  close(options?: { abrupt?: boolean }): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Starts a process in its own process group (so stopping it also stops the ffmpeg or
 * festival it is running), its output into a log file; undone by SIGTERM, then SIGKILL.
 */
function startProcess(
  name: string,
  main: string,
  env: Record<string, string>,
  logDir: string,
  abrupt: () => boolean,
): { child: ChildProcess; stop: () => Promise<void> } {
  const log = createWriteStream(join(logDir, `${name}.log`));
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, cwd: logDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const stop = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      signalGroup(child.pid!, abrupt() ? 'SIGKILL' : 'SIGTERM');
      const killed = delay(15_000).then(() => signalGroup(child.pid!, 'SIGKILL'));
      await Promise.race([exited, killed.then(() => exited)]);
    }
    // Whatever it started and left behind in its group.
    signalGroup(child.pid!, 'SIGKILL');
    log.end();
  });
  return { child, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Resolves once `url` answers 2xx; fails if `child` exits first or after `timeoutMs`. */
async function waitReady(url: string, child: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} while starting (its log is above)`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await delay(100);
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s (its log is above)`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const main = mains(options.checkout);
  const id = randomBytes(4).toString('hex');
  const database = `blinked_bench_${id}`;
  const prefix = `bench-${id}`;
  // This stack's undo steps, run newest first by close() (and by cleanupAll() on a failure).
  const undo: (() => Promise<void>)[] = [];
  let abrupt = false;
  const close = async (closeOptions: { abrupt?: boolean } = {}) => {
    abrupt = closeOptions.abrupt ?? false;
    for (const step of undo.reverse()) await step();
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), `blinked-bench-${id}-`));
    undo.push(onCleanup(() => rm(dir, { recursive: true, force: true })));
    if (process.env.BENCH_LOG_LEVEL) undo.push(onCleanup(() => keepLogs(dir, id)));
    undo.push(onCleanup(() => deleteKeysUnder(REDIS_URL, prefix)));
    await createDatabase(ADMIN_URL, database);
    undo.push(onCleanup(() => dropDatabase(ADMIN_URL, database)));
    const databaseUrl = urlFor(database);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    undo.push(onCleanup(() => pool.end()));

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      // BENCH_LOG_LEVEL=log shows each job's step times; the processes' logs are then kept (see close()).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      STORAGE_DRIVER: 'local',
      STORAGE_DIR: join(dir, 'storage'),
      WORK_DIR: dir,
      SECRET_KEY: randomBytes(48).toString('base64url'),
      // One sign-up per stack: the hashing cost is no part of any figure.
      BCRYPT_COST: '4',
      LLM_PROVIDER: 'offline',
      ...BENCH_LIMITS,
      ...options.env,
    };
    // The project's own migrations, as `npm run db:migrate` applies them before a deployment.
    await promisify(execFile)(process.execPath, [main.migrate], { env: { ...process.env, ...env }, cwd: dir });

    const apiPort = await freePort();
    const api = startProcess('api', main.api, { ...env, HOST: '127.0.0.1', PORT: String(apiPort) }, dir, () => abrupt || aborting());
    undo.push(api.stop);
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    await waitReady(`${baseUrl}/health/ready`, api.child, 'the api');

    const workerPids: number[] = [];
    for (let i = 0; i < (options.workers ?? 1); i++) {
      const port = await freePort();
      const worker = startProcess(`worker-${i}`, main.worker, { ...env, WORKER_HTTP_PORT: String(port) }, dir, () => abrupt || aborting());
      undo.push(worker.stop);
      workerPids.push(worker.child.pid!);
      // Liveness, not /health/ready: the listener serves once the processors are up, and the
      // readiness probe's TTS check (3 s deadline) can fail on a loaded machine while jobs run fine.
      await waitReady(`http://127.0.0.1:${port}/health`, worker.child, `worker ${i}`);
    }

    return {
      baseUrl,
      databaseUrl,
      queuePrefix: prefix,
      workerPids,
      query: async (sql, params = []) => (await pool.query(sql, params)).rows,
      logDir: dir,
      close,
    };
  } catch (e) {
    abrupt = true;
    await printLogTails(undo.length ? dirOf(id) : undefined);
    await close({ abrupt: true });
    throw e;
  }
}

/** The processes' logs, copied to <tmp>/blinked-bench-logs-<id>/ before the stack's temp dir goes (asked for with BENCH_LOG_LEVEL). */
async function keepLogs(dir: string, id: string): Promise<void> {
  const to = join(tmpdir(), `blinked-bench-logs-${id}`);
  await mkdir(to, { recursive: true });
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) await copyFile(join(dir, name), join(to, name));
  console.error(`  logs kept in ${to}`);
}

/** The temp dir of a stack, found by the id in its name (it holds the processes' logs). */
function dirOf(id: string): string | undefined {
  return readdirSync(tmpdir())
    .filter((n) => n.startsWith(`blinked-bench-${id}-`))
    .map((n) => join(tmpdir(), n))[0];
}

/** The last lines each process printed: what a failure message needs, as the temp dir is about to go. */
export async function printLogTails(dir: string | undefined): Promise<void> {
  if (!dir) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    console.error(`--- ${name} (last lines) ---\n${text.split('\n').slice(-15).join('\n')}`);
  }
}
