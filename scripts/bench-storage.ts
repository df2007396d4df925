// Times one video, POST /videos/generate to completed, with STORAGE_DRIVER=local and
// with STORAGE_DRIVER=s3 (s3rver on 127.0.0.1), on the same machine in the same run:
// the built api and one built worker as separate processes per driver, a fresh database
// per driver, offline deck and espeak-ng, 6 slides, distinct prompts (no cache hits).
// Each driver makes one warm-up video first (not counted), then `--runs` measured ones.
// Usage: npm run bench:storage  [-- --runs 3 --slides 6]
// Needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL, else postgres@127.0.0.1:5432) and
// Redis (REDIS_URL, else 127.0.0.1:6379). The last line of output is JSON.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createDatabase, dropDatabase } from '@app/db';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const S3RVER = resolve('test/support/s3rver-process.cjs');
const TOPICS = ['rivers', 'glaciers', 'volcanoes', 'deserts', 'forests', 'oceans', 'comets', 'storms', 'caves', 'reefs'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1`);
  return value;
}

/** Spawns `node args…` and resolves once its output matches `ready` (the match), or rejects if it exits first. */
async function spawnUntil(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const match = await new Promise<RegExpExecArray>((resolveMatch, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) resolveMatch(m);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out.slice(-2000)}`)));
  });
  // Keep draining, or a chatty process blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, match };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** The few fields of the api's answers this reads. */
interface Answer {
  id: string;
  status: string;
  error: string | null;
  accessToken: string;
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Answer }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Answer };
}

function prompt(run: string, slides: number): string {
  return Array.from({ length: slides }, (_, i) => `Fact ${i + 1} about ${TOPICS[i % TOPICS.length]} in study ${run} is worth a slide of its own.`).join(
    ' ',
  );
}

/** POST to completed, in milliseconds, polling every 50 ms. */
async function oneVideo(base: string, token: string, slides: number): Promise<number> {
  const started = performance.now();
  const res = await call(base, 'POST', '/api/v1/videos/generate', { prompt: prompt(randomBytes(3).toString('hex'), slides), slideCount: slides }, token);
  if (res.status !== 202) throw new Error(`generate answered ${res.status}: ${JSON.stringify(res.json)}`);
  for (;;) {
    const video = (await call(base, 'GET', `/api/v1/videos/${res.json.id}`, undefined, token)).json;
    if (video.status === 'completed') return performance.now() - started;
    if (['failed', 'cancelled'].includes(video.status)) throw new Error(`video ${video.status}: ${video.error}`);
    if (performance.now() - started > 180_000) throw new Error('a video took over 3 minutes');
    await delay(50);
  }
}

interface Stack {
  driver: 'local' | 's3';
  base: string;
  token: string;
  close(): Promise<void>;
}

/** The built api and one built worker for `driver`, on a fresh database and queue prefix. */
async function startStack(driver: Stack['driver']): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  const db = `blinked_bench_${id}`;
  const prefix = `bench-${id}`;
  const dir = await mkdtemp(join(tmpdir(), `blinked-bench-${driver}-`));
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const child of children.reverse()) await stop(child);
    await dropDatabase(ADMIN_URL, db);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  };
  await createDatabase(ADMIN_URL, db);
  try {
    const u = new URL(ADMIN_URL);
    u.pathname = `/${db}`;
    let storage: Record<string, string> = { STORAGE_DRIVER: 'local', STORAGE_DIR: join(dir, 'storage') };
    if (driver === 's3') {
      const s3 = await spawnUntil(['--openssl-legacy-provider', S3RVER, join(dir, 's3'), '0', 'bench'], {}, /"port":(\d+)/);
      children.push(s3.child);
      const key = 'S3RVER';
      storage = {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'bench',
        S3_ENDPOINT: `http://127.0.0.1:${s3.match[1]}`,
        S3_ACCESS_KEY_ID: key,
        S3_SECRET_ACCESS_KEY: key,
      };
    }
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'log',
      DATABASE_URL: u.toString(),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SECRET_KEY: randomBytes(32).toString('hex'),
      BCRYPT_COST: '4',
      LLM_PROVIDER: 'offline',
      TTS_PROVIDER: 'espeak',
      WORK_DIR: join(dir, 'work'),
      ...storage,
    };
    const api = await spawnUntil([resolve('dist/apps/api/src/main.js')], { ...env, HOST: '127.0.0.1', PORT: '0' }, /listening on (http:\/\/\S+?)\/? /);
    children.push(api.child);
    // Any free port for its metrics and health listener: both drivers' stacks run at once.
    const worker = await spawnUntil([resolve('dist/apps/worker/src/main.js')], { ...env, WORKER_HTTP_PORT: '0' }, /blinked worker \d+ started/);
    children.push(worker.child);
    const base = api.match[1]!;
    const reg = await call(base, 'POST', '/api/v1/auth/register', { email: 'bench@example.com', username: 'bench', password: 'correct horse battery' });
    if (reg.status !== 201) throw new Error(`register answered ${reg.status}`);
    return { driver, base, token: reg.json.accessToken, close };
  } catch (e) {
    await close();
    throw e;
  }
}

const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    medianSeconds: +(s[Math.floor(s.length / 2)]! / 1000).toFixed(2),
    minSeconds: +(s[0]! / 1000).toFixed(2),
    maxSeconds: +(s.at(-1)! / 1000).toFixed(2),
  };
};

async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const slides = arg('slides', 6);
  const stacks: Stack[] = [];
  try {
    // Both stacks up at once and their runs alternated (the order flipping each round), so
    // a load that changes during the run (other processes on the machine) weighs on both.
    stacks.push(await startStack('local'), await startStack('s3'));
    const times: Record<Stack['driver'], number[]> = { local: [], s3: [] };
    for (const stack of stacks)
      console.log(`${stack.driver}: warm-up ${((await oneVideo(stack.base, stack.token, slides)) / 1000).toFixed(2)} s (not counted)`);
    for (let i = 0; i < runs; i++) {
      for (const stack of i % 2 ? [...stacks].reverse() : stacks) {
        times[stack.driver].push(await oneVideo(stack.base, stack.token, slides));
        console.log(`${stack.driver}: run ${i + 1}: ${(times[stack.driver].at(-1)! / 1000).toFixed(2)} s`);
      }
    }
    console.log(`${slides} slides, POST to completed, median of ${runs} (min..max):`);
    for (const driver of ['local', 's3'] as const) {
      const s = summary(times[driver]);
      console.log(`  ${driver.padEnd(5)} ${s.medianSeconds.toFixed(2)} s (${s.minSeconds.toFixed(2)}..${s.maxSeconds.toFixed(2)})`);
    }
    console.log(JSON.stringify({ slides, runs, local: summary(times.local), s3: summary(times.s3) }));
  } finally {
    for (const stack of stacks) await stack.close();
  }
}

main().catch((e: unknown) => {
  console.error(`bench-storage: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
