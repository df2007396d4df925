import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';

const API = resolve('dist/apps/api/src/main.js');
const WORKER = resolve('dist/apps/worker/src/main.js');

/** Runs a built entry point with a clean environment until it exits (or until `until` appears in its output). */
function run(entry: string, env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      cwd: '/tmp', // no .env file here
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (until && until.test(stdout + stderr)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d), check()));
    child.on('exit', (code) => resolveRun({ code, stderr, stdout }));
  });
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /); // no stack trace
  return lines[0]!;
}

describe('start-up', () => {
  it('refuses production without a SECRET_KEY, in one line', async () => {
    const r = await run(API, { NODE_ENV: 'production' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      'blinked api: configuration error: SECRET_KEY must be set to at least 32 characters when NODE_ENV=production (it is not set)',
    );
  });

  it('refuses production with a short SECRET_KEY', async () => {
    const r = await run(API, { NODE_ENV: 'production', SECRET_KEY: 'too-short' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/SECRET_KEY must be set to at least 32 characters.*\(it has 9\)/);
  });

  it.each([
    ['DATABASE_URL', 'not a url', /DATABASE_URL is not a valid URL/],
    ['DATABASE_URL', 'mysql://u:p@h/db', /DATABASE_URL must use postgres: or postgresql:/],
    ['REDIS_URL', 'http://localhost', /REDIS_URL must use redis: or rediss:/],
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['STORAGE_DRIVER', 'ftp', /^blinked api: configuration error: STORAGE_DRIVER must be one of local, s3, got "ftp"$/],
    ['STORAGE_DRIVER', 's3', /^blinked api: configuration error: S3_BUCKET must be set when STORAGE_DRIVER=s3$/],
    ['MEDIA_DELIVERY', 'redirect', /^blinked api: configuration error: MEDIA_DELIVERY=redirect needs STORAGE_DRIVER=s3/],
  ])('reports a bad %s in one line', async (name, value, message) => {
    const r = await run(API, { [name]: value });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(message);
  });

  it.each([
    [{ S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT is not a valid URL (expected http://… or https://…)'],
    [{ S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT must use http: or https:, got "minio:"'],
    [
      { S3_ACCESS_KEY_ID: 'only-the-id' },
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the default AWS credential chain)',
    ],
    [{ S3_KEY_PREFIX: '../shared' }, 'S3_KEY_PREFIX must be slash-separated segments of letters, digits, ".", "_" or "-", got "../shared"'],
  ])('stops the api and the worker on a bad S3 setting %p in one line', async (bad, message) => {
    for (const [app, entry] of [
      ['api', API],
      ['worker', WORKER],
    ] as const) {
      const r = await run(entry, { STORAGE_DRIVER: 's3', S3_BUCKET: 'videos', ...bad });
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toBe(`blinked ${app}: configuration error: ${message}`);
    }
  });

  it('reports a worker without the key its provider needs', async () => {
    const r = await run(WORKER, { LLM_PROVIDER: 'gemini' });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^blinked worker: configuration error: .*GOOGLE_GEMINI_API_KEY/);
  });

  it.each([
    ['TTS_PROVIDER', 'polly', 'TTS_PROVIDER must be one of google, festival, espeak, got "polly"'],
    ['LLM_PROVIDER', 'claude', 'LLM_PROVIDER must be one of gemini, openai, offline, got "claude"'],
  ])('stops a worker with an unknown %s in one line, never falling back to another provider', async (name, value, message) => {
    const r = await run(WORKER, { [name]: value });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`blinked worker: configuration error: ${message}`);
  });

  it('reports an unreachable database in one line', async () => {
    const r = await run(API, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^blinked api: failed to start: .*ECONNREFUSED/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  describe('with an empty database', () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase();
      // Start from nothing: drop what the template brought, so the api must migrate.
      await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    });

    afterAll(() => db?.drop());

    it('applies the migrations before serving', async () => {
      const r = await run(API, { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'log' }, /listening on/);
      expect(r.stdout + r.stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      const tables = (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.tablename);
      expect(tables).toEqual(
        expect.arrayContaining(['users', 'refresh_tokens', 'prompts', 'slides', 'voiceovers', 'videos', 'generation_cache', 'migrations']),
      );
    }, 60_000);
  });
});
