import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { TOMBSTONE } from '@app/jobs';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';

/**
 * A video id is one UUID whatever its case: everything derived from it (storage
 * keys, job ids) uses the lower-case form, so an upper-case id in a URL behaves
 * exactly like the id the api handed out.
 */
let h: PipelineHarness;
let token: string;
let id: string;
let ID: string;

async function keysOf(videoId: string): Promise<string[]> {
  const redis = new Redis(h.env.REDIS_URL);
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.env.QUEUE_PREFIX}:*${videoId}*`, 'COUNT', 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

async function fetchBytes(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.api.http.baseUrl + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  h = await startPipeline();
  token = await registerUser(h.api, 'casey');
  const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'Bees dance to tell where flowers are. Others follow.', slideCount: 3 }, token);
  expect(res.status).toBe(202);
  id = res.body.id;
  ID = id.toUpperCase();
  expect(ID).not.toBe(id);
  const { video } = await waitForVideo(h.api, token, id);
  expect(video.status).toBe('completed');
}, 150_000);

afterAll(async () => {
  await h?.close();
});

it('GET answers the same video', async () => {
  const [lower, upper] = await Promise.all([h.api.http.get(`/api/v1/videos/${id}`, token), h.api.http.get(`/api/v1/videos/${ID}`, token)]);
  expect(upper.status).toBe(200);
  expect(upper.body.id).toBe(id);
  const { links: _l, ...rest } = lower.body;
  expect(upper.body).toMatchObject(rest);
  expect(upper.body.links.self).toBe(lower.body.links.self);
});

it.each(['file', 'thumbnail', 'captions'])('GET /%s answers the same bytes, ranges included', async (asset) => {
  const [lower, upper] = await Promise.all([fetchBytes(`/api/v1/videos/${id}/${asset}`), fetchBytes(`/api/v1/videos/${ID}/${asset}`)]);
  expect(upper.status).toBe(200);
  expect(upper.body.equals(lower.body)).toBe(true);
  const range = await fetchBytes(`/api/v1/videos/${ID}/${asset}`, { range: 'bytes=2-9' });
  expect(range.status).toBe(206);
  expect(range.body.equals(lower.body.subarray(2, 10))).toBe(true);
});

it('GET /events streams the same video', async () => {
  const res = await fetchBytes(`/api/v1/videos/${ID}/events`);
  expect(res.status).toBe(200);
  expect(res.body.toString()).toContain(`"id":"${id}"`);
});

it('PUT renames the same video', async () => {
  const res = await h.api.http.request('PUT', `/api/v1/videos/${ID}`, { body: { title: 'Waggle dance' }, token });
  expect(res.status).toBe(200);
  expect(res.body.id).toBe(id);
  expect((await h.api.http.get(`/api/v1/videos/${id}`, token)).body.title).toBe('Waggle dance');
});

it.each([
  ['not a UUID', () => 'not-a-uuid'],
  ['overlong', () => `${id}${'0'.repeat(60)}`],
  ['a UUID with a suffix', () => `${ID}x`],
  ['braces', () => `{${id}}`],
  ['no dashes', () => id.replaceAll('-', '')],
])('a malformed id (%s) stays 404', async (_name, bad) => {
  const res = await h.api.http.get(`/api/v1/videos/${encodeURIComponent(bad())}`, token);
  expect(res.status).toBe(404);
  expect(res.body.message).toBe('Video not found');
});

it('an id longer than any route param answers 414 with the usual error body', async () => {
  const res = await h.api.http.get(`/api/v1/videos/${id}${'0'.repeat(2000)}`, token);
  expect(res.status).toBe(414);
  expect(res.body).toEqual({ statusCode: 414, error: 'URI Too Long', message: expect.stringMatching(/path segment is too long/) });
});

it('DELETE removes everything of the video: rows, files, jobs', async () => {
  const dir = join(h.storageDir, 'videos', id);
  // What must go: checked first, so the assertions below could fail.
  expect(readdirSync(dir).length).toBeGreaterThan(0);
  expect((await keysOf(id)).length).toBeGreaterThan(0);

  const res = await h.api.http.request('DELETE', `/api/v1/videos/${ID}`, { token });
  expect(res.status).toBe(204);
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(join(h.storageDir, 'videos', ID))).toBe(false);
  // Only the tombstone of its snapshot stays (polls answer 404 without the database), and it expires.
  const tombstone = `${h.env.QUEUE_PREFIX}:video-state:${id}`;
  expect(await keysOf(id)).toEqual([tombstone]);
  expect(await keysOf(ID)).toEqual([]);
  const redis = new Redis(h.env.REDIS_URL);
  try {
    expect(await redis.get(tombstone)).toBe(TOMBSTONE);
    expect(await redis.pttl(tombstone)).toBeGreaterThan(0);
  } finally {
    redis.disconnect();
  }
  expect(await h.api.db.query('SELECT 1 FROM videos WHERE id = $1', [id])).toHaveLength(0);
  expect((await h.api.http.get(`/api/v1/videos/${ID}`, token)).status).toBe(404);
});
