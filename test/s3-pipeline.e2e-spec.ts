import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { type S3TestServer, startS3Server } from './support/s3-server.js';

/**
 * The real pipeline (api in this process, the built worker as its own process)
 * with STORAGE_DRIVER=s3: slides, audio and the MP4 go to the bucket, the work
 * folders are the worker's own, and the shared STORAGE_DIR stays empty.
 */
let s3: S3TestServer;
let h: PipelineHarness;
const prefix = `pipe-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  s3 = await startS3Server();
  h = await startPipeline({}, { sharedEnv: s3.env({ S3_KEY_PREFIX: prefix }) });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await s3?.close();
});

async function bucketKeys(under: string): Promise<string[]> {
  const client = new S3Client({ ...s3.config(), requestChecksumCalculation: 'WHEN_REQUIRED' });
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: under }));
    return (page.Contents ?? []).map((o) => o.Key!).sort();
  } finally {
    client.destroy();
  }
}

it('makes a video whose files live only in the bucket, serves it, and deletes them', async () => {
  const token = await registerUser(h.api, 'sky');
  const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'The sky is blue. Sunsets are red. Clouds are white.', slideCount: 3 }, token);
  expect(res.status).toBe(202);
  const id = res.body.id as string;
  const { video } = await waitForVideo(h.api, token, id);
  expect([video.status, video.error]).toEqual(['completed', null]);

  const keys = await bucketKeys(`${prefix}/videos/${id}/`);
  expect(keys).toEqual(
    expect.arrayContaining([`${prefix}/videos/${id}/video.mp4`, `${prefix}/videos/${id}/thumbnail.jpg`, `${prefix}/videos/${id}/captions.vtt`]),
  );
  expect(keys.filter((k) => k.includes('/slides/'))).toHaveLength(3);
  expect(await readdir(h.storageDir)).toEqual([]);

  const file = await fetch(`${h.api.http.baseUrl}/api/v1/videos/${id}/file`, { headers: { authorization: `Bearer ${token}`, range: 'bytes=0-11' } });
  expect(file.status).toBe(206);
  expect(
    Buffer.from(await file.arrayBuffer())
      .subarray(4, 8)
      .toString(),
  ).toBe('ftyp');

  expect((await h.api.http.request('DELETE', `/api/v1/videos/${id}`, { token })).status).toBe(204);
  expect(await bucketKeys(`${prefix}/videos/${id}/`)).toEqual([]);
}, 180_000);
