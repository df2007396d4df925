import type { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { parseRedisConfig } from '@app/config';
import { dataSourceOptions, VideoRepository, VideoStatus } from '@app/db';
import { VideoSnapshots } from '@app/jobs';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';
import { startTcpGate, type TcpGate } from './support/tcp-gate.js';
import { waitFor } from './support/wait.js';

const SUITE_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROMPT = { prompt: 'How tides follow the moon, in five slides.', slideCount: 5 };

/**
 * GET /videos/{id}, the polling route (issue 13): answered from a snapshot in Redis with an
 * ETag, accounts checked without the database once the revocation records are trusted. The
 * api reaches PostgreSQL through a TCP gate, so "no database read" is shown by cutting it.
 */
describe('polling a video', () => {
  let h: ApiHarness;
  let pgGate: TcpGate;
  let redis: Redis;
  let worker: { ds: DataSource; snapshots: VideoSnapshots; videos: VideoRepository };
  const get = (id: string, token: string, headers: Record<string, string> = {}) => h.http.request('GET', `/api/v1/videos/${id}`, { token, headers });
  const originalWarn = console.warn;

  beforeAll(async () => {
    // TypeORM's pool says "Postgres pool raised an error" for every connection the gate cuts: expected here.
    console.warn = () => undefined;
    const pg = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    pgGate = await startTcpGate(pg.hostname, Number(pg.port || 5432));
    h = await startApi({}, { databaseUrl: (url) => pgGate.through(url) });
    redis = new Redis(h.env.REDIS_URL!);
    // As a long-running api: the revocation records are trusted (see AccessRevocations).
    await redis.set(`${h.env.QUEUE_PREFIX}:auth:revocations-since`, String(Date.now() - 24 * 3600_000));
    // What a worker process writes with: the same repository, told of its changes by the same snapshots.
    const snapshots = new VideoSnapshots({ getOrThrow: () => parseRedisConfig(h.env) } as unknown as ConfigService);
    const ds = new DataSource(dataSourceOptions(h.db.url));
    await ds.initialize();
    worker = { ds, snapshots, videos: new VideoRepository(ds.manager, snapshots) };
  }, 60_000);

  afterAll(async () => {
    console.warn = originalWarn;
    await pgGate?.open();
    worker?.snapshots.onApplicationShutdown();
    await worker?.ds.destroy();
    redis?.disconnect();
    await h?.close();
    await pgGate?.close();
  });

  afterEach(() => pgGate.open());

  async function newVideo(name: string) {
    const token = await registerUser(h, name);
    const res = await h.http.post('/api/v1/videos/generate', PROMPT, token);
    expect(res.status).toBe(202);
    return { token, id: res.body.id as string };
  }

  it('answers with an ETag, 304 for If-None-Match while unchanged, and 200 with a new ETag once it changes', async () => {
    const { token, id } = await newVideo('etag');
    const first = await get(id, token);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+\.[0-9a-z]+"$/);
    const again = await get(id, token, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    expect((await h.http.request('PUT', `/api/v1/videos/${id}`, { token, body: { title: 'Tides' } })).status).toBe(200);
    const changed = await get(id, token, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe('Tides');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('serves the same bytes from the snapshot as from the database, and 304 with PostgreSQL cut off', async () => {
    const { token, id } = await newVideo('cutoff');
    await redis.del(`${h.env.QUEUE_PREFIX}:video-state:${id}`);
    const fromDb = await get(id, token); // a miss: read from the database, and the snapshot filled
    await waitForSnapshot(id);
    await pgGate.cut();
    const fromSnapshot = await get(id, token);
    expect(fromSnapshot.status).toBe(200);
    expect(fromSnapshot.text).toBe(fromDb.text);
    expect(fromSnapshot.headers.get('etag')).toBe(fromDb.headers.get('etag'));
    expect((await get(id, token, { 'if-none-match': fromDb.headers.get('etag')! })).status).toBe(304);
    // Another user's video is still a 404, snapshot or not.
    await pgGate.open();
    const other = await registerUser(h, 'cutoff-other');
    await pgGate.cut();
    expect((await get(id, other)).status).toBe(404);
  });

  it("shows a worker's progress at the next poll, and never an older state after completion", async () => {
    const { token, id } = await newVideo('fresh');
    await worker.videos.advanceStatus(id, VideoStatus.GeneratingVoice, 'Voicing 5 slides', 25);
    await worker.videos.reportProgress(id, VideoStatus.GeneratingVoice, 'Voiced 3 of 5 slides', 55);
    expect((await get(id, token)).body).toMatchObject({ status: 'generating_voice', stage: 'Voiced 3 of 5 slides', progress: 55 });

    const before = (await worker.videos.findPublicState(id))!; // read before completion, written after it: a late writer
    await worker.videos.advanceStatus(id, VideoStatus.Rendering, 'Encoding the video', 76);
    await worker.videos.complete(id, { duration: 12.5, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' });
    await worker.snapshots.fill(before);
    const done = await get(id, token);
    expect(done.body).toMatchObject({ status: 'completed', progress: 100, durationSeconds: 12.5 });
    expect(done.body.links.file).toMatch(new RegExp(`^/api/v1/videos/${id}/file\\?uid=`));
  });

  it('answers 404 at once once the video is deleted', async () => {
    const { token, id } = await newVideo('gone');
    expect((await get(id, token)).status).toBe(200);
    await waitForSnapshot(id);
    expect((await h.http.request('DELETE', `/api/v1/videos/${id}`, { token })).status).toBe(204);
    expect((await get(id, token)).status).toBe(404);
    await pgGate.cut();
    expect((await get(id, token)).status).toBe(404); // from the tombstone
  });

  it('refuses tokens of a changed password, a deleted and a disabled account at once, without the database', async () => {
    const pw = await newVideo('pwchange');
    await waitForPoll(pw.id, pw.token);
    const changed = await h.http.request('PATCH', '/api/v1/auth/me', {
      token: pw.token,
      body: { currentPassword: 'correct horse battery', newPassword: 'another horse battery' },
    });
    expect(changed.status).toBe(200);
    const fresh = await h.http.post('/api/v1/auth/login', { email: 'pwchange@example.com', password: 'another horse battery' });

    const deleted = await newVideo('deleted');
    expect((await h.http.request('DELETE', '/api/v1/auth/me', { token: deleted.token, body: { password: 'correct horse battery' } })).status).toBe(204);

    const victim = await newVideo('victim');
    const adminToken = await registerUser(h, 'boss');
    const adminId = (await h.http.get('/api/v1/auth/me', adminToken)).body.id;
    await h.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [adminId]);
    const victimId = (await h.http.get('/api/v1/auth/me', victim.token)).body.id;
    expect((await h.http.request('PATCH', `/api/v1/admin/users/${victimId}`, { token: adminToken, body: { disabled: true } })).status).toBe(200);

    await pgGate.cut();
    expect((await get(pw.id, pw.token)).status).toBe(401);
    expect((await get(pw.id, fresh.body.accessToken)).status).toBe(200);
    expect((await get(deleted.id, deleted.token)).status).toBe(401);
    const disabled = await get(victim.id, victim.token);
    expect(disabled.status).toBe(403);
    expect(disabled.body.message).toMatch(/disabled/);
  });

  async function waitForSnapshot(id: string): Promise<void> {
    await waitFor(
      () => redis.exists(`${h.env.QUEUE_PREFIX}:video-state:${id}`),
      (n) => n === 1,
      10_000,
      `the snapshot of ${id}`,
    );
  }

  async function waitForPoll(id: string, token: string): Promise<void> {
    expect((await get(id, token)).status).toBe(200);
    await waitForSnapshot(id);
  }
});

/** Redis down under a running api: polling and accounts are answered from the database. */
describe('polling while Redis is down', () => {
  let h: ApiHarness;
  let gate: TcpGate;

  beforeAll(async () => {
    const url = new URL(SUITE_REDIS);
    gate = await startTcpGate(url.hostname, Number(url.port || 6379));
    h = await startApi({ REDIS_URL: gate.through(SUITE_REDIS) });
  }, 60_000);

  afterAll(async () => {
    await gate?.open();
    await h?.close();
    await gate?.close();
  });

  it('answers from the database, with the same ETag, and still refuses a deleted account', async () => {
    const token = await registerUser(h, 'outage');
    const id = (await h.http.post('/api/v1/videos/generate', PROMPT, token)).body.id as string;
    const before = await h.http.get(`/api/v1/videos/${id}`, token);
    expect(before.status).toBe(200);
    const other = await registerUser(h, 'outage-gone');

    await gate.cut();
    const during = await h.http.get(`/api/v1/videos/${id}`, token);
    expect(during.status).toBe(200);
    expect(during.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(during.text).toBe(before.text);
    expect((await h.http.request('GET', `/api/v1/videos/${id}`, { token, headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(304);
    await h.db.query("DELETE FROM users WHERE email = 'outage-gone@example.com'");
    expect((await h.http.get('/api/v1/auth/me', other)).status).toBe(401);
  });
});
