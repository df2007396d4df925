import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskStorage, videoKeys } from '@app/storage';
import { type ApiHarness, startApi, TEST_SECRET } from './support/api-harness.js';
import { deleteKeysUnder } from './support/redis-keys.js';

// Signed media links (a video's `links`) answer for their account as access tokens do:
// a deletion, a disable or a password change stops them at once, with the status a
// bearer token gets in the same case. No worker runs: each video is completed by hand.

let h: ApiHarness;
let storageDir: string;
let seq = 0;
const PASSWORD = 'correct horse battery';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

beforeAll(async () => {
  storageDir = await mkdtemp(join(tmpdir(), 'blinked-links-'));
  h = await startApi({ STORAGE_DIR: storageDir });
});

afterAll(async () => {
  await h?.close();
  await deleteKeysUnder(h.env.REDIS_URL!, h.env.QUEUE_PREFIX!);
  await rm(storageDir, { recursive: true, force: true });
});

/** A new account with one completed video (a thumbnail in storage); its links as the api gives them. */
async function accountWithVideo() {
  seq += 1;
  const email = `link${seq}@example.com`;
  const registered = await h.http.post('/api/v1/auth/register', { email, username: `link${seq}`, password: PASSWORD });
  expect(registered.status).toBe(201);
  const token = registered.body.accessToken as string;
  const created = await h.http.post('/api/v1/videos/generate', { prompt: 'Why do cats purr?' }, token);
  expect(created.status).toBe(202);
  const id = created.body.id as string;
  await new LocalDiskStorage(storageDir).put(videoKeys.thumbnail(id), JPEG);
  await h.db.query(`UPDATE videos SET status = 'completed', progress = 100, thumbnail_url = $2 WHERE id = $1`, [id, videoKeys.thumbnail(id)]);
  return { id: registered.body.user.id as string, email, token, videoId: id, links: await linksOf(id, token) };
}

async function linksOf(videoId: string, token: string): Promise<{ thumbnail: string; events: string }> {
  const res = await h.http.get(`/api/v1/videos/${videoId}`, token);
  expect(res.status).toBe(200);
  return { thumbnail: res.body.links.thumbnail, events: res.body.links.events };
}

/** A link fetched as a browser does, without a bearer header: its status and message. */
async function open(link: string) {
  const res = await fetch(h.http.baseUrl + link);
  const body = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    message: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(body.toString()).message : undefined,
  };
}

async function makeAdmin(): Promise<string> {
  const admin = await accountWithVideo();
  await h.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
  return admin.token;
}

it('works for the account it was issued to', async () => {
  const a = await accountWithVideo();
  expect((await open(a.links.thumbnail)).status).toBe(200);
  expect((await open(a.links.events)).status).toBe(200); // a completed video's stream ends after one event
});

it('stops at once when the password changes, as the access tokens do (401); links fetched after it work', async () => {
  const a = await accountWithVideo();
  const changed = await h.http.request('PATCH', '/api/v1/auth/me', {
    token: a.token,
    body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
  });
  expect(changed.status).toBe(200);
  expect((await h.http.get('/api/v1/auth/me', a.token)).status).toBe(401);
  expect(await open(a.links.thumbnail)).toEqual({ status: 401, message: expect.stringMatching(/issued before a password change; sign in again/) });
  expect((await open(a.links.events)).status).toBe(401); // the event stream too

  const signedIn = await h.http.post('/api/v1/auth/login', { email: a.email, password: 'a brand new passphrase' });
  expect(signedIn.status).toBe(200);
  expect((await open((await linksOf(a.videoId, signedIn.body.accessToken)).thumbnail)).status).toBe(200);
});

it('answers 403 while the account is disabled, as the access tokens do, and stays dead once it is enabled again', async () => {
  const admin = await makeAdmin();
  const a = await accountWithVideo();
  expect((await h.http.request('PATCH', `/api/v1/admin/users/${a.id}`, { token: admin, body: { disabled: true } })).status).toBe(200);
  expect((await h.http.get('/api/v1/auth/me', a.token)).status).toBe(403);
  expect(await open(a.links.thumbnail)).toEqual({ status: 403, message: 'This account is disabled; contact an administrator' });

  expect((await h.http.request('PATCH', `/api/v1/admin/users/${a.id}`, { token: admin, body: { disabled: false } })).status).toBe(200);
  expect((await h.http.get('/api/v1/auth/me', a.token)).status).toBe(401);
  expect((await open(a.links.thumbnail)).status).toBe(401);
});

it('stops at once when the account is deleted (401, not the 404 of its gone video)', async () => {
  const a = await accountWithVideo();
  expect((await h.http.request('DELETE', '/api/v1/auth/me', { token: a.token, body: { password: PASSWORD } })).status).toBe(204);
  expect(await open(a.links.thumbnail)).toEqual({ status: 401, message: expect.stringMatching(/link is invalid or has expired/) });
});

it('refuses links of the earlier format, which carried no issue time, even correctly signed', async () => {
  const a = await accountWithVideo();
  const path = `/api/v1/videos/${a.videoId}/thumbnail`;
  const expires = Math.floor(Date.now() / 1000) + 600;
  const sig = createHmac('sha256', TEST_SECRET).update(`blinked-asset\n${path}\n${a.id}\n${expires}`).digest('base64url');
  expect(await open(`${path}?uid=${a.id}&expires=${expires}&sig=${sig}`)).toEqual({
    status: 401,
    message: expect.stringMatching(/fetch the video again/),
  });
});
