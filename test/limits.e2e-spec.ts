import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SECRET } from './support/api-harness.js';
import { type ApiProcess, startApiProcess } from './support/api-process.js';
import type { HttpResult } from './support/http.js';
import { deleteKeysUnder } from './support/redis-keys.js';
import { createTestDatabase, type TestDatabase, uniquePrefix } from './support/test-db.js';

// Two replicas of one deployment: separate processes, one database, one Redis prefix.
// Every limit below is counted across both.
const LIMITS = {
  LOGIN_MAX_FAILURES: '10',
  LOGIN_MAX_FAILURES_PER_IP: '15',
  REGISTER_PER_IP_PER_HOUR: '3',
  RATE_LIMIT_PER_MINUTE: '20',
  QUOTA_CONCURRENT_VIDEOS: '3',
  QUOTA_DAILY_VIDEOS: '5',
};
const PASSWORD = 'correct horse battery';
const PROMPT = { prompt: 'Tides are the rise and fall of the sea, pulled by the Moon.', slideCount: 3 };

let db: TestDatabase;
let storageDir: string;
let env: Record<string, string>;
let apis: ApiProcess[] = [];
let seq = 0;
let ipSeq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  storageDir = await mkdtemp(join(tmpdir(), 'blinked-limits-'));
  env = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: uniquePrefix(),
    SECRET_KEY: TEST_SECRET,
    BCRYPT_COST: '4',
    STORAGE_DIR: storageDir,
    // Each test plays a client at its own address, as a proxy in front would report it.
    TRUST_PROXY: 'true',
    ...LIMITS,
  };
  apis = await Promise.all([startApiProcess(env), startApiProcess(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(apis.map((a) => a.stop()));
  await deleteKeysUnder(env.REDIS_URL!, env.QUEUE_PREFIX!);
  await db?.drop();
  await rm(storageDir, { recursive: true, force: true });
});

/** A client address of its own (the api trusts X-Forwarded-For), so tests never share one by accident. */
function newIp(): string {
  ipSeq += 1;
  return `198.51.100.${ipSeq}`;
}

function call(api: number, method: string, path: string, opts: { body?: unknown; token?: string; ip?: string } = {}): Promise<HttpResult> {
  return apis[api]!.http.request(method, `/api/v1${path}`, {
    body: opts.body,
    token: opts.token,
    headers: { 'x-forwarded-for': opts.ip ?? newIp() },
  });
}

async function register(api = 0): Promise<{ email: string; token: string; id: string }> {
  seq += 1;
  const email = `limits${seq}@example.com`;
  const res = await call(api, 'POST', '/auth/register', { body: { email, username: `limits${seq}`, password: PASSWORD } });
  expect(res.status).toBe(201);
  return { email, token: res.body.accessToken, id: res.body.user.id };
}

const generate = (api: number, token: string) => call(api, 'POST', '/videos/generate', { body: PROMPT, token });

const login = (api: number, email: string, password: string, ip?: string) => call(api, 'POST', '/auth/login', { body: { email, password }, ip });

function expect429(res: HttpResult, message: RegExp): number {
  expect([res.status, res.body?.message]).toEqual([429, expect.stringMatching(message)]);
  expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  return retryAfter;
}

describe('sign-in limits, shared by two api processes', () => {
  it('answers 429 from the 11th failure of one account on either api, from any address, even with the right password', async () => {
    const u = await register();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      // Alternating replicas and a new address every time: the account's count is what stops it.
      const res = await login(i % 2, u.email, 'wrong password');
      statuses.push(res.status);
      if (i >= 10) expect429(res, /Too many failed sign-ins for this account \(10 in 15 min, LOGIN_MAX_FAILURES\); try again in 15 min/);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const retryAfter = expect429(await login(1, u.email, PASSWORD), /this account/);
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The email in another case is the same account.
    expect429(await login(0, u.email.toUpperCase(), PASSWORD), /this account/);
  });

  it('answers an email without an account exactly like one with an account', async () => {
    const u = await register();
    const known: HttpResult[] = [];
    const unknown: HttpResult[] = [];
    for (let i = 0; i < 11; i++) {
      known.push(await login(i % 2, u.email, 'wrong password'));
      unknown.push(await login(i % 2, `nobody${seq}@example.com`, 'wrong password'));
    }
    const shape = (r: HttpResult) => ({ status: r.status, body: r.body, retryAfter: r.headers.get('retry-after') !== null });
    expect(unknown.map(shape)).toEqual(known.map(shape));
    expect(unknown.map((r) => r.status)).toEqual([...Array<number>(10).fill(401), 429]);
  });

  it('counts twenty attempts sent at once exactly: ten are checked, ten refused', async () => {
    const u = await register();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(i % 2, u.email, 'wrong password')));
    const counts = results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 10, 429: 10 });
  });

  it('starts an account afresh after a successful sign-in', async () => {
    const u = await register();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await login(i % 2, u.email, 'wrong password')).status).toBe(401);
      expect((await login(round, u.email, PASSWORD)).status).toBe(200);
    }
    expect((await login(0, u.email, 'wrong password')).status).toBe(401);
  });

  it('answers 429 to an address after 15 failures across accounts, but not to the same accounts elsewhere', async () => {
    const ip = newIp();
    const users = [await register(), await register(), await register(), await register()];
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await login(i % 2, users[i % 4]!.email, 'wrong password', ip)).status);
    expect(statuses).toEqual([...Array<number>(15).fill(401), 429]);
    expect429(await login(1, users[0]!.email, PASSWORD, ip), /from your address \(15 in 15 min, LOGIN_MAX_FAILURES_PER_IP\)/);
    // Each account failed only 4 times: from anywhere else the right password works.
    expect((await login(0, users[0]!.email, PASSWORD)).status).toBe(200);
  });

  it('takes successful sign-ins from an address back from its count (a shared office is not locked out)', async () => {
    const ip = newIp();
    const u = await register();
    for (let i = 0; i < 20; i++) expect((await login(i % 2, u.email, PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(i % 2, u.email, 'wrong password', ip)).status).toBe(401);
  });

  it('allows REGISTER_PER_IP_PER_HOUR registrations from one address, across both apis', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call(i % 2, 'POST', '/auth/register', {
        body: { email: `reg${ip}-${i}@example.com`, username: `reg${ipSeq}x${i}`, password: PASSWORD },
        ip,
      });
      statuses.push(res.status);
      if (i === 3) {
        const retryAfter = expect429(res, /Too many registrations from your address \(3 an hour, REGISTER_PER_IP_PER_HOUR\)/);
        expect(retryAfter).toBeGreaterThan(3590);
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(await db.query(`SELECT email FROM users WHERE email LIKE $1`, [`reg${ip}-%`])).toHaveLength(3);
  });
});

describe('the per-user request rate', () => {
  it('counts one budget across both apis, with RateLimit headers, then answers 429', async () => {
    const u = await register();
    const remaining: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await call(i % 2, 'GET', '/auth/me', { token: u.token });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('20');
      expect(res.headers.get('ratelimit-policy')).toBe('20;w=60');
      const reset = Number(res.headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      remaining.push(Number(res.headers.get('ratelimit-remaining')));
    }
    expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
    for (const api of [0, 1]) {
      const res = await call(api, 'GET', '/videos', { token: u.token });
      const retryAfter = expect429(res, /Too many requests: your account may make 20 a minute \(RATE_LIMIT_PER_MINUTE\); try again in \d+ s/);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.headers.get('ratelimit-remaining')).toBe('0');
    }
    // Another user has a budget of their own.
    const other = await register();
    expect((await call(0, 'GET', '/videos', { token: other.token })).status).toBe(200);
  });

  it('does not count media, events or health, even for a user past the limit', async () => {
    const u = await register();
    for (let i = 0; i < 20; i++) expect((await call(i % 2, 'GET', '/auth/me', { token: u.token })).status).toBe(200);
    expect((await call(0, 'GET', '/auth/me', { token: u.token })).status).toBe(429);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of ['file', 'thumbnail', 'captions', 'events']) {
      const res = await call(1, 'GET', `/videos/${missing}/${path}`, { token: u.token });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const health = await apis[0]!.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('generation quotas', () => {
  const videosOf = async (userId: string) => Number((await db.query('SELECT count(*) AS n FROM videos WHERE user_id = $1', [userId]))[0].n);

  it('refuses a 4th video in progress with 429, naming the quota, and stores nothing', async () => {
    const u = await register();
    for (let i = 0; i < 3; i++) expect((await generate(i % 2, u.token)).status).toBe(202);
    const res = await generate(1, u.token);
    const retryAfter = expect429(
      res,
      /^You have 3 videos in progress, the most your account may have at once \(QUOTA_CONCURRENT_VIDEOS\); try again when one finishes/,
    );
    expect(retryAfter).toBe(30);
    expect(await videosOf(u.id)).toBe(3);
    expect(Number((await db.query('SELECT count(*) AS n FROM prompts WHERE user_id = $1', [u.id]))[0].n)).toBe(3);
  });

  it('lets exactly 3 of 10 simultaneous requests split across both apis through', async () => {
    const u = await register();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => generate(i % 2, u.token)));
    expect(results.filter((r) => r.status === 202)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
    expect(await videosOf(u.id)).toBe(3);
  });

  it('refuses past the daily quota with the seconds until the window frees a slot, and shows usage on /auth/me', async () => {
    const u = await register();
    await db.query('UPDATE users SET quota_concurrent = 100 WHERE id = $1', [u.id]);
    for (let i = 0; i < 5; i++) expect((await generate(i % 2, u.token)).status).toBe(202);
    // The oldest one was made an hour ago: its slot frees in 23 hours.
    await db.query(
      `UPDATE video_creations SET created_at = now() - interval '1 hour'
        WHERE ctid = (SELECT ctid FROM video_creations WHERE user_id = $1 ORDER BY created_at LIMIT 1)`,
      [u.id],
    );
    const res = await generate(0, u.token);
    const retryAfter = expect429(
      res,
      /^You have created 5 videos in the last 24 hours, the most your account may \(QUOTA_DAILY_VIDEOS\); the next one can start in 23 h/,
    );
    expect(retryAfter).toBeGreaterThan(23 * 3600 - 30);
    expect(retryAfter).toBeLessThanOrEqual(23 * 3600);
    expect(await videosOf(u.id)).toBe(5);

    const me = await call(1, 'GET', '/auth/me', { token: u.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: u.id,
      usage: { videosInProgress: 5, videosToday: 5 },
      limits: { concurrentVideos: 100, dailyVideos: 5, requestsPerMinute: 20 },
    });
  });

  it("names the account's own quota when an admin set one", async () => {
    const u = await register();
    await db.query('UPDATE users SET quota_concurrent = 1 WHERE id = $1', [u.id]);
    expect((await generate(0, u.token)).status).toBe(202);
    expect429(await generate(1, u.token), /^You have 1 video in progress, the most your account may have at once \(a quota set for your account\)/);
  });
});

describe('when Redis does not answer', () => {
  it('keeps sign-in working without the Redis limits, warns once, and still enforces the quotas', async () => {
    // A third api of the same deployment whose Redis is unreachable.
    const blind = await startApiProcess({ ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      seq += 1;
      const email = `blind${seq}@example.com`;
      const reg = await blind.http.request('POST', '/api/v1/auth/register', { body: { email, username: `blind${seq}`, password: PASSWORD } });
      expect(reg.status).toBe(201);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await blind.http.post('/api/v1/auth/login', { email, password: 'wrong password' })).status);
      expect(statuses).toEqual(Array<number>(12).fill(401));
      expect((await blind.http.post('/api/v1/auth/login', { email, password: PASSWORD })).status).toBe(200);
      const me = await blind.http.get('/api/v1/auth/me', reg.body.accessToken);
      expect(me.status).toBe(200);
      expect(me.headers.get('ratelimit-limit')).toBeNull();
      expect(blind.output().match(/rate limits are not enforced/g)).toHaveLength(1);

      // Quotas live in PostgreSQL: with three videos already in progress (made through a healthy replica), still 429.
      const token = (await login(0, email, PASSWORD)).body.accessToken as string;
      for (let i = 0; i < 3; i++) expect((await generate(i % 2, token)).status).toBe(202);
      const refused = await blind.http.post('/api/v1/videos/generate', PROMPT, token);
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '30']);
    } finally {
      await blind.stop();
    }
  }, 30_000);
});

describe('behind no trusted proxy (TRUST_PROXY unset, the default)', () => {
  it('counts the connecting address, so a forged X-Forwarded-For does not buy more registrations', async () => {
    // Its own prefix: the address here is 127.0.0.1, which the other tests never use.
    const direct = await startApiProcess({ ...env, TRUST_PROXY: '', QUEUE_PREFIX: uniquePrefix() });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        seq += 1;
        const res = await direct.http.request('POST', '/api/v1/auth/register', {
          body: { email: `direct${seq}@example.com`, username: `direct${seq}`, password: PASSWORD },
          headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
    } finally {
      await direct.stop();
    }
  });
});
