import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MediaDelivery } from '@app/config';
import { S3Storage, videoKeys } from '@app/storage';
import { type ApiHarness, startApi } from './support/api-harness.js';
import { registerUser } from './support/pipeline-harness.js';
import { connect, type Connected } from './support/repositories.js';
import { type S3TestServer, startS3Server } from './support/s3-server.js';
import { waitFor } from './support/wait.js';

/**
 * The api with STORAGE_DRIVER=s3 against a real S3-compatible server (s3rver):
 * media delivery both ways, DELETE emptying the video's prefix, and readiness
 * naming storage when the server is gone. STORAGE_DIR points where nothing can be
 * written: the api must never need a disk with s3.
 */
let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3Server();
}, 30_000);

afterAll(() => s3?.close());

interface Deployment {
  api: ApiHarness;
  db: Connected;
  storage: S3Storage;
  prefix: string;
  token: string;
  userId: string;
}

async function deploy(delivery: MediaDelivery): Promise<Deployment> {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const api = await startApi(s3.env({ S3_KEY_PREFIX: prefix, MEDIA_DELIVERY: delivery, STORAGE_DIR: '/proc/blinked-no-disk' }));
  const token = await registerUser(api, `u${randomBytes(4).toString('hex')}`);
  const userId = (await api.http.get('/api/v1/auth/me', token)).body.id as string;
  return { api, db: await connect(api.db.url), storage: new S3Storage(s3.config(prefix)), prefix, token, userId };
}

async function undeploy(d: Deployment | undefined) {
  d?.storage.onModuleDestroy();
  await d?.db.close();
  await d?.api.close();
}

/** A completed video whose files were put in the bucket directly through the driver, as the worker would. */
async function completedVideo(d: Deployment) {
  const { video } = await d.db.repos.videos.createWithPrompt(
    d.userId,
    { title: '', content: 'Why is the sky blue?' },
    { title: 'Sky blue', slideCount: 3, aspectRatio: '16:9', language: 'en-US', voice: null, theme: 'light' },
  );
  const mp4 = randomBytes(256 * 1024 + 5);
  const jpg = randomBytes(2000);
  const vtt = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nRayleigh scattering.\n');
  await d.storage.put(videoKeys.video(video.id), mp4);
  await d.storage.put(videoKeys.thumbnail(video.id), jpg);
  await d.storage.put(videoKeys.captions(video.id), vtt);
  await d.storage.put(videoKeys.slideImage(video.id, 1), Buffer.from('png'));
  await d.db.repos.videos.complete(video.id, { duration: 1, videoUrl: 'v', thumbnailUrl: 't', captionsUrl: 'c' });
  return { id: video.id, mp4, jpg, vtt };
}

async function get(d: Deployment, path: string, headers: Record<string, string> = {}, redirect: 'manual' | 'follow' = 'manual') {
  const res = await fetch(d.api.http.baseUrl + path, { headers: { authorization: `Bearer ${d.token}`, ...headers }, redirect });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

/** The keys left in the bucket under a raw prefix, listed by a client of the test's own. */
async function keysUnder(prefix: string): Promise<string[]> {
  const client = new S3Client({ ...s3.config(), requestChecksumCalculation: 'WHEN_REQUIRED' });
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => o.Key!);
  } finally {
    client.destroy();
  }
}

describe('MEDIA_DELIVERY=proxy (the default): the api streams from the bucket', () => {
  let d: Deployment;
  let v: Awaited<ReturnType<typeof completedVideo>>;

  beforeAll(async () => {
    d = await deploy('proxy');
    v = await completedVideo(d);
  }, 60_000);

  afterAll(() => undeploy(d));

  it('serves the whole file, the thumbnail and the captions', async () => {
    const whole = await get(d, `/api/v1/videos/${v.id}/file`);
    expect(whole.res.status).toBe(200);
    expect(whole.res.headers.get('content-type')).toBe('video/mp4');
    expect(whole.res.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.res.headers.get('content-length')).toBe(String(v.mp4.length));
    expect(whole.body.equals(v.mp4)).toBe(true);
    const thumb = await get(d, `/api/v1/videos/${v.id}/thumbnail`);
    expect([thumb.res.status, thumb.res.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect(thumb.body.equals(v.jpg)).toBe(true);
    const captions = await get(d, `/api/v1/videos/${v.id}/captions`);
    expect(captions.res.status).toBe(200);
    expect(captions.body.equals(v.vtt)).toBe(true);
  });

  it.each([
    ['bytes=100-1099', 100, 1099],
    ['bytes=0-0', 0, 0],
    ['bytes=-500', 256 * 1024 + 5 - 500, 256 * 1024 + 4],
    ['bytes=262000-', 262000, 256 * 1024 + 4],
    ['bytes=262000-999999', 262000, 256 * 1024 + 4],
  ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
    const part = await get(d, `/api/v1/videos/${v.id}/file`, { range });
    expect(part.res.status).toBe(206);
    expect(part.res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${v.mp4.length}`);
    expect(part.res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(part.body.equals(v.mp4.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range past the end with 416', async () => {
    const beyond = await get(d, `/api/v1/videos/${v.id}/file`, { range: `bytes=${v.mp4.length}-` });
    expect(beyond.res.status).toBe(416);
    expect(beyond.res.headers.get('content-range')).toBe(`bytes */${v.mp4.length}`);
  });

  it('serves the signed link with no bearer header, ranges included', async () => {
    const links = (await d.api.http.get(`/api/v1/videos/${v.id}`, d.token)).body.links;
    const res = await fetch(d.api.http.baseUrl + links.file, { headers: { range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(v.mp4.subarray(10, 20))).toBe(true);
  });

  it('says 404 when a completed video has lost its file', async () => {
    const lost = await completedVideo(d);
    await d.storage.delete(videoKeys.video(lost.id));
    expect((await get(d, `/api/v1/videos/${lost.id}/file`)).res.status).toBe(404);
  });

  it('DELETE removes every object of the video from the bucket, and only those', async () => {
    const other = await completedVideo(d);
    const gone = await completedVideo(d);
    expect(await keysUnder(`${d.prefix}/${videoKeys.prefix(gone.id)}/`)).toHaveLength(4);
    expect((await d.api.http.request('DELETE', `/api/v1/videos/${gone.id}`, { token: d.token })).status).toBe(204);
    expect(await keysUnder(`${d.prefix}/${videoKeys.prefix(gone.id)}/`)).toEqual([]);
    expect(await keysUnder(`${d.prefix}/${videoKeys.prefix(other.id)}/`)).toHaveLength(4);
  });

  it('is ready while the bucket answers, names storage when it does not (503 for its files too), and recovers', async () => {
    const video = await completedVideo(d);
    expect((await d.api.http.get('/health/ready')).body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok', storage: 'ok' } });
    await s3.stop();
    try {
      const down = await d.api.http.get('/health/ready');
      expect(down.status).toBe(503);
      expect(down.body.message).toBe('Not ready: database ok, redis ok, storage down');
      // Our store being down is not the client's fault nor a bug: "try again shortly", as for the database.
      const file = await get(d, `/api/v1/videos/${video.id}/file`);
      expect(file.res.status).toBe(503);
      expect(file.res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(file.body.toString())).toMatchObject({ statusCode: 503, message: 'The file store is unavailable; try again shortly' });
    } finally {
      await s3.start();
    }
    await waitFor(
      () => d.api.http.get('/health/ready'),
      (r) => r.status === 200,
      10_000,
      'storage ready again',
    );
  }, 30_000);
});

describe('MEDIA_DELIVERY=redirect: the api answers 302 to a presigned URL of the bucket', () => {
  let d: Deployment;
  let v: Awaited<ReturnType<typeof completedVideo>>;

  beforeAll(async () => {
    d = await deploy('redirect');
    v = await completedVideo(d);
  }, 60_000);

  afterAll(() => undeploy(d));

  it('redirects to the store, whose URL serves ranges (206), the whole file and the api headers', async () => {
    const redirect = await get(d, `/api/v1/videos/${v.id}/file`, { range: 'bytes=100-1099' });
    expect(redirect.res.status).toBe(302);
    expect(redirect.res.headers.get('cache-control')).toBe('no-store');
    const location = redirect.res.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${d.prefix}/videos/${v.id}/video.mp4?`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');
    const part = await fetch(location, { headers: { range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${v.mp4.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(v.mp4.subarray(100, 1100))).toBe(true);
    const whole = await fetch(location);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('content-disposition')).toBe(`inline; filename="Sky blue.mp4"; filename*=UTF-8''Sky%20blue.mp4`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(v.mp4)).toBe(true);
  });

  it('redirects the thumbnail and the captions too', async () => {
    for (const [asset, bytes, type] of [
      ['thumbnail', v.jpg, 'image/jpeg'],
      ['captions', v.vtt, 'text/vtt; charset=utf-8'],
    ] as const) {
      const followed = await get(d, `/api/v1/videos/${v.id}/${asset}`, {}, 'follow');
      expect([asset, followed.res.status, followed.res.headers.get('content-type')]).toEqual([asset, 200, type]);
      expect(followed.body.equals(bytes)).toBe(true);
    }
  });

  it('lets the store answer 416 for a range past the end', async () => {
    const beyond = await get(d, `/api/v1/videos/${v.id}/file`, { range: `bytes=${v.mp4.length}-` }, 'follow');
    expect(beyond.res.status).toBe(416);
  });

  it('follows a signed link (no bearer header) through to the bytes', async () => {
    const links = (await d.api.http.get(`/api/v1/videos/${v.id}`, d.token)).body.links;
    const res = await fetch(d.api.http.baseUrl + links.file, { headers: { range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect(res.redirected).toBe(true);
    expect(Buffer.from(await res.arrayBuffer()).equals(v.mp4.subarray(0, 10))).toBe(true);
  });

  it('still checks the caller and the status before redirecting', async () => {
    const { video } = await d.db.repos.videos.createWithPrompt(
      d.userId,
      { title: '', content: 'Not done' },
      { title: 'Not done', slideCount: 3, aspectRatio: '16:9', language: 'en-US', voice: null, theme: 'light' },
    );
    expect((await get(d, `/api/v1/videos/${video.id}/file`)).res.status).toBe(409);
    const stranger = await registerUser(d.api, `s${randomBytes(4).toString('hex')}`);
    const res = await fetch(`${d.api.http.baseUrl}/api/v1/videos/${v.id}/file`, { headers: { authorization: `Bearer ${stranger}` }, redirect: 'manual' });
    expect(res.status).toBe(404);
    expect((await fetch(`${d.api.http.baseUrl}/api/v1/videos/${v.id}/file`, { redirect: 'manual' })).status).toBe(401);
  });
});
