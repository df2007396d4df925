import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { deleteKeysUnder } from './support/redis-keys.js';

// Account lifecycle, roles, cancel/retry of queued work and Idempotency-Key, through the
// real api on PostgreSQL and Redis. No worker runs: submitted videos stay queued, so what
// the api does to their jobs is seen in Redis as it left it.

let h: ApiHarness;
let storageDir: string;
let slides: Queue;
let seq = 0;
const PASSWORD = 'correct horse battery';
const ADMIN_CLI = resolve('dist/scripts/admin.js');

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), 'blinked-accounts-'));
  h = await startApi({ STORAGE_DIR: storageDir });
  slides = new Queue('slides', { connection: { url: h.env.REDIS_URL }, prefix: h.env.QUEUE_PREFIX });
});

afterAll(async () => {
  await slides?.close();
  await h?.close();
  await deleteKeysUnder(h.env.REDIS_URL!, h.env.QUEUE_PREFIX!);
  await rm(storageDir, { recursive: true, force: true });
});

interface Account {
  id: string;
  email: string;
  username: string;
  accessToken: string;
  refreshToken: string;
}

async function register(): Promise<Account> {
  seq += 1;
  const body = { email: `acct${seq}@example.com`, username: `acct${seq}`, password: PASSWORD };
  const res = await h.http.post('/api/v1/auth/register', body);
  expect(res.status).toBe(201);
  return { id: res.body.user.id, email: body.email, username: body.username, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

const call = (method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>) =>
  h.http.request(method, `/api/v1${path}`, { token, body, headers });
const login = (email: string, password = PASSWORD) => h.http.post('/api/v1/auth/login', { email, password });
const refresh = (refreshToken: string) => h.http.post('/api/v1/auth/refresh', { refreshToken });

function expectError(res: { status: number; body: any }, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
  if (message) expect(res.body.message).toMatch(message);
}

function adminCli(...args: string[]) {
  return spawnSync(process.execPath, [ADMIN_CLI, ...args], { env: { ...process.env, DATABASE_URL: h.env.DATABASE_URL! }, encoding: 'utf8' });
}

const generate = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  call('POST', '/videos/generate', token, body, headers);

describe('PATCH /auth/me', () => {
  it('changes the password: every earlier token stops at once, the new password signs in', async () => {
    const a = await register();
    const second = await login(a.email); // another session, also cut off
    expect(second.status).toBe(200);
    const res = await call('PATCH', '/auth/me', a.accessToken, { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: a.id, email: a.email });

    expectError(await call('GET', '/auth/me', a.accessToken), 401, /revoked by a password change/);
    expectError(await call('GET', '/auth/me', second.body.accessToken), 401);
    expectError(await refresh(a.refreshToken), 401);
    expectError(await refresh(second.body.refreshToken), 401);
    expectError(await login(a.email), 401);
    const fresh = await login(a.email, 'a brand new passphrase');
    expect(fresh.status).toBe(200);
    // Issued after the change (even within the same second): it works.
    expect((await call('GET', '/auth/me', fresh.body.accessToken)).status).toBe(200);
    expect((await refresh(fresh.body.refreshToken)).status).toBe(200);
  });

  it('refuses a wrong or missing current password and changes nothing', async () => {
    const a = await register();
    expectError(
      await call('PATCH', '/auth/me', a.accessToken, { currentPassword: 'not my password', newPassword: 'another passphrase' }),
      403,
      /Current password is wrong/,
    );
    expectError(await call('PATCH', '/auth/me', a.accessToken, { newPassword: 'another passphrase' }), 400, /currentPassword is required/);
    expectError(await call('PATCH', '/auth/me', a.accessToken, { currentPassword: PASSWORD, newPassword: 'short' }), 400, /newPassword/);
    expect((await call('GET', '/auth/me', a.accessToken)).status).toBe(200);
    expect((await login(a.email)).status).toBe(200);
  });

  it('changes username and avatar without a password, validating both', async () => {
    const a = await register();
    const b = await register();
    const res = await call('PATCH', '/auth/me', a.accessToken, { username: `${a.username}-new`, avatarUrl: 'https://cdn.example.com/a.png' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: `${a.username}-new`, avatarUrl: 'https://cdn.example.com/a.png' });
    expect((await call('GET', '/auth/me', a.accessToken)).body.avatarUrl).toBe('https://cdn.example.com/a.png');
    expect((await call('PATCH', '/auth/me', a.accessToken, { avatarUrl: null })).body.avatarUrl).toBeNull();

    expectError(await call('PATCH', '/auth/me', a.accessToken, { avatarUrl: 'http://cdn.example.com/a.png' }), 400, /https/);
    expectError(await call('PATCH', '/auth/me', a.accessToken, { avatarUrl: `https://example.com/${'a'.repeat(2000)}` }), 400, /avatarUrl/);
    expectError(await call('PATCH', '/auth/me', a.accessToken, { username: b.username.toUpperCase() }), 409, /username is taken/);
    expectError(await call('PATCH', '/auth/me', a.accessToken, { username: 'x' }), 400, /username/);
    expectError(await call('PATCH', '/auth/me', a.accessToken, {}), 400, /Nothing to change/);
    expectError(await call('PATCH', '/auth/me', undefined, { username: 'nobody' }), 401);
  });
});

describe('DELETE /auth/me', () => {
  it('removes the videos (jobs, files, rows) and the tokens; other accounts keep theirs', async () => {
    const a = await register();
    const other = await register();
    const ids: string[] = [];
    for (const prompt of ['First video about rivers and deltas.', 'Second video about mountains.']) {
      const res = await generate(a.accessToken, { prompt, slideCount: 3 });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
      // What a worker would have stored for it.
      await mkdir(join(storageDir, 'videos', res.body.id, 'slides'), { recursive: true });
      await writeFile(join(storageDir, 'videos', res.body.id, 'slides', '001.png'), 'png');
    }
    const kept = await generate(other.accessToken, { prompt: 'Someone else keeps this video.', slideCount: 3 });
    expect(await slides.getJobState(`slides-${ids[0]}`)).toBe('waiting');

    expectError(await call('DELETE', '/auth/me', a.accessToken, { password: 'wrong password' }), 403, /Password is wrong/);
    expect(await h.db.query('SELECT 1 FROM videos WHERE user_id = $1', [a.id])).toHaveLength(2);

    expect((await call('DELETE', '/auth/me', a.accessToken, { password: PASSWORD })).status).toBe(204);
    expectError(await call('GET', '/auth/me', a.accessToken), 401);
    expectError(await refresh(a.refreshToken), 401);
    expectError(await login(a.email), 401);
    for (const id of ids) {
      expect(await slides.getJobState(`slides-${id}`)).toBe('unknown');
      expect(existsSync(join(storageDir, 'videos', id))).toBe(false);
    }
    for (const table of ['users WHERE id', 'videos WHERE user_id', 'prompts WHERE user_id', 'refresh_tokens WHERE user_id']) {
      expect(await h.db.query(`SELECT 1 FROM ${table} = $1`, [a.id])).toHaveLength(0);
    }
    expect((await call('GET', `/videos/${kept.body.id}`, other.accessToken)).status).toBe(200);
    expect(await slides.getJobState(`slides-${kept.body.id}`)).toBe('waiting');
  });
});

describe('admin', () => {
  let admin: Account;
  let user: Account;

  beforeAll(async () => {
    admin = await register();
    user = await register();
    const granted = adminCli('grant', admin.email.toUpperCase());
    expect(granted.status).toBe(0);
    expect(granted.stdout).toContain('role is now admin');
  });

  it('npm run admin: clear errors and exit codes for an unknown email and bad usage', () => {
    const unknown = adminCli('grant', 'nobody@example.com');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no account has the email "nobody@example.com"/);
    const usage = adminCli('promote', admin.email);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run admin -- grant <email> \| revoke <email>/);
    const badUrl = spawnSync(process.execPath, [ADMIN_CLI, 'grant', admin.email], {
      env: { ...process.env, DATABASE_URL: 'not a url' },
      encoding: 'utf8',
    });
    expect(badUrl.status).toBe(1);
    expect(badUrl.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lists users with usage, paged; 401 anonymous, 403 for a non-admin', async () => {
    await generate(user.accessToken, { prompt: 'A video that counts in the usage.', slideCount: 3 });
    expectError(await call('GET', '/admin/users'), 401);
    expectError(await call('GET', '/admin/users', user.accessToken), 403, /administrator/);
    const res = await call('GET', '/admin/users?limit=100', admin.accessToken);
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(2);
    const row = res.body.items.find((u: { id: string }) => u.id === user.id);
    expect(row).toMatchObject({
      email: user.email,
      role: 'user',
      disabled: false,
      quotaConcurrent: null,
      quotaDaily: null,
      usage: { videosTotal: 1, videosInProgress: 1, videosLast24h: 1 },
    });
    const page = await call('GET', '/admin/users?limit=1&page=2', admin.accessToken);
    expect(page.body).toMatchObject({ page: 2, limit: 1, total: res.body.total });
    expect(page.body.items).toHaveLength(1);
    expectError(await call('GET', '/admin/users?limit=1000', admin.accessToken), 400, /limit/);
  });

  it('sets quotas (null resets them) and roles; 404 for an unknown user, 409 for demoting oneself', async () => {
    expectError(await call('PATCH', `/admin/users/${user.id}`, user.accessToken, { quotaDaily: 1 }), 403);
    const set = await call('PATCH', `/admin/users/${user.id}`, admin.accessToken, { quotaConcurrent: 2, quotaDaily: 10 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ quotaConcurrent: 2, quotaDaily: 10 });
    const reset = await call('PATCH', `/admin/users/${user.id}`, admin.accessToken, { quotaDaily: null });
    expect(reset.body).toMatchObject({ quotaConcurrent: 2, quotaDaily: null });
    expectError(await call('PATCH', `/admin/users/${user.id}`, admin.accessToken, { quotaDaily: -1 }), 400, /quotaDaily/);
    expectError(await call('PATCH', `/admin/users/${user.id}`, admin.accessToken, { role: 'root' }), 400, /role/);
    expectError(await call('PATCH', '/admin/users/00000000-0000-4000-8000-000000000000', admin.accessToken, { quotaDaily: 1 }), 404);
    expectError(await call('PATCH', `/admin/users/${admin.id}`, admin.accessToken, { role: 'user' }), 409, /own account/);

    // The role is read from the database on every request: a promotion counts at once.
    expect((await call('PATCH', `/admin/users/${user.id}`, admin.accessToken, { role: 'admin' })).body.role).toBe('admin');
    expect((await call('GET', '/admin/users', user.accessToken)).status).toBe(200);
    expect(adminCli('revoke', user.email).status).toBe(0);
    expectError(await call('GET', '/admin/users', user.accessToken), 403);
  });

  it('disables an account: no sign-in, no refresh, its tokens stop at once; enabling lets it sign in again', async () => {
    const victim = await register();
    const res = await call('PATCH', `/admin/users/${victim.id}`, admin.accessToken, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expectError(await call('GET', '/auth/me', victim.accessToken), 403, /disabled/);
    expectError(await login(victim.email), 403, /This account is disabled; contact an administrator/);
    expectError(await refresh(victim.refreshToken), 401);
    expectError(await login(victim.email, 'a wrong password'), 401); // no hint to someone without the password

    expect((await call('PATCH', `/admin/users/${victim.id}`, admin.accessToken, { disabled: false })).body.disabled).toBe(false);
    expectError(await call('GET', '/auth/me', victim.accessToken), 401); // tokens from before the disable stay dead
    const again = await login(victim.email);
    expect(again.status).toBe(200);
    expect((await call('GET', '/auth/me', again.body.accessToken)).status).toBe(200);
  });

  it('a disabled account cannot refresh a token it still holds', async () => {
    const victim = await register();
    await h.db.query('UPDATE users SET disabled = true WHERE id = $1', [victim.id]);
    expectError(await refresh(victim.refreshToken), 403, /disabled/);
  });
});

describe('Idempotency-Key on POST /videos/generate', () => {
  const BODY = { prompt: 'Idempotent submissions: the same request twice makes one video.', slideCount: 3 };

  it('the same key and body answer 202 with the same video and queue one job; another body is 422', async () => {
    const a = await register();
    const first = await generate(a.accessToken, BODY, { 'idempotency-key': 'order-1' });
    expect(first.status).toBe(202);
    const again = await generate(a.accessToken, { slideCount: 3, prompt: BODY.prompt }, { 'idempotency-key': 'order-1' });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('location')).toBe(`/api/v1/videos/${first.body.id}`);
    expect(await h.db.query('SELECT 1 FROM videos WHERE user_id = $1', [a.id])).toHaveLength(1);
    expect(await slides.getJobState(`slides-${first.body.id}`)).toBe('waiting');

    expectError(await generate(a.accessToken, { ...BODY, slideCount: 4 }, { 'idempotency-key': 'order-1' }), 422, /different request body/);
    // Another key, or another user with the same key: a new video.
    expect((await generate(a.accessToken, BODY, { 'idempotency-key': 'order-2' })).body.id).not.toBe(first.body.id);
    const b = await register();
    expect((await generate(b.accessToken, BODY, { 'idempotency-key': 'order-1' })).body.id).not.toBe(first.body.id);
  });

  it('counts metadata as part of the body, whatever the order of its keys', async () => {
    const a = await register();
    const body = { ...BODY, metadata: { orderId: 'A-1', lesson: '7' } };
    const first = await generate(a.accessToken, body, { 'idempotency-key': 'meta' });
    expect(first.status).toBe(202);
    const reordered = await generate(a.accessToken, { ...BODY, metadata: { lesson: '7', orderId: 'A-1' } }, { 'idempotency-key': 'meta' });
    expect(reordered.body.id).toBe(first.body.id);
    expectError(await generate(a.accessToken, { ...BODY, metadata: { orderId: 'A-2', lesson: '7' } }, { 'idempotency-key': 'meta' }), 422);
    expectError(await generate(a.accessToken, BODY, { 'idempotency-key': 'meta' }), 422);
  });

  it('concurrent requests with one key make one video', async () => {
    const a = await register();
    const answers = await Promise.all(Array.from({ length: 8 }, () => generate(a.accessToken, BODY, { 'idempotency-key': 'burst' })));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(await h.db.query('SELECT 1 FROM videos WHERE user_id = $1', [a.id])).toHaveLength(1);
  });

  it('a key older than 24 h is free again', async () => {
    const a = await register();
    const first = await generate(a.accessToken, BODY, { 'idempotency-key': 'old' });
    await h.db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`, [a.id]);
    const later = await generate(a.accessToken, { ...BODY, slideCount: 5 }, { 'idempotency-key': 'old' });
    expect(later.status).toBe(202);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it.each([
    ['empty', ''],
    ['201 characters', 'k'.repeat(201)],
    ['not ASCII', 'clé'],
  ])('refuses a key that is %s with 400', async (_, key) => {
    const a = await register();
    expectError(await generate(a.accessToken, BODY, { 'idempotency-key': key }), 400, /Idempotency-Key must be 1 to 200 printable ASCII/);
    expect(await h.db.query('SELECT 1 FROM videos WHERE user_id = $1', [a.id])).toHaveLength(0);
  });

  it('is documented in the OpenAPI document as a header parameter', async () => {
    const doc = (await h.http.get('/docs-json')).body;
    const params = doc.paths['/api/v1/videos/generate'].post.parameters as { name: string; in: string }[];
    expect(params).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
  });
});

describe('cancel and retry of queued work', () => {
  it('cancels a queued video (its job is removed, the record stays), retries it (queued again), refuses what does not fit', async () => {
    const a = await register();
    const id = (await generate(a.accessToken, { prompt: 'A video cancelled before any worker took it.', slideCount: 3 })).body.id as string;
    expectError(await call('POST', `/videos/${id}/retry`, a.accessToken), 409, /Only a failed or cancelled video/);
    const cancelled = await call('POST', `/videos/${id}/cancel`, a.accessToken);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', stage: 'Cancelled' });
    expect(await slides.getJobState(`slides-${id}`)).toBe('unknown');
    expectError(await call('POST', `/videos/${id}/cancel`, a.accessToken), 409, /already cancelled/);

    const other = await register();
    expectError(await call('POST', `/videos/${id}/retry`, other.accessToken), 404);
    expectError(await call('POST', `/videos/${id}/cancel`), 401);

    const retried = await call('POST', `/videos/${id}/retry`, a.accessToken);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id, status: 'queued', error: null });
    expect(await slides.getJobState(`slides-${id}`)).toBe('waiting');
  });
});
