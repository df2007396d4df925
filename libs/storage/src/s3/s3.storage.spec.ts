import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '@app/config';
import { type S3TestServer, startS3Server } from '@test/support/s3-server.js';
import { StorageObjectNotFoundError, StorageUnavailableError } from '../storage.errors.js';
import { describeStorageContract } from '../storage.contract.js';
import { S3Storage, type S3StorageOptions } from './s3.storage.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MiB = 1024 * 1024;

let server: S3TestServer;
const opened: S3Storage[] = [];

/** A driver on the shared server under its own fresh prefix: an empty store of its own. */
function storageUnder(prefix = `t-${randomBytes(6).toString('hex')}`, options: S3StorageOptions = {}, config: Partial<S3Config> = {}) {
  const storage = new S3Storage({ ...server.config(prefix), ...config }, options);
  opened.push(storage);
  return storage;
}

/** Every key in the bucket under a raw prefix, read with a client of its own, not through the driver. */
function bucketKeys(prefix = ''): Promise<string[]> {
  return server.keys(prefix);
}

beforeAll(async () => {
  server = await startS3Server();
});

afterAll(async () => {
  for (const s of opened) s.onModuleDestroy();
  await server?.close();
});

describeStorageContract('s3 (s3rver)', async () => {
  const storage = storageUnder();
  return { storage, dispose: async () => storage.onModuleDestroy() };
});

describe('S3Storage', () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'blinked-s3-work-'));
  });

  afterEach(() => rm(work, { recursive: true, force: true }));

  it('stores a streamed upload byte for byte (no aws-chunked framing kept), read back by read and download', async () => {
    const storage = storageUnder();
    const data = randomBytes(3_000_000);
    const file = join(work, 'three-million.bin');
    await writeFile(file, data);
    await storage.upload('videos/s/video.mp4', file);
    expect(await storage.stat('videos/s/video.mp4')).toEqual({ size: 3_000_000 });
    expect(sha256(await buffer(await storage.read('videos/s/video.mp4')))).toBe(sha256(data));
    expect(sha256(await readFile(await storage.download('videos/s/video.mp4', join(work, 'back'))))).toBe(sha256(data));
  });

  it('would keep the framing with the SDK default checksums on a streamed PutObject (why the driver turns them off)', async () => {
    const data = randomBytes(3_000_000);
    const file = join(work, 'raw.bin');
    await writeFile(file, data);
    const client = new S3Client({ ...server.config() });
    try {
      const Key = `raw-${randomBytes(4).toString('hex')}.bin`;
      await client.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body: createReadStream(file), ContentLength: data.length }));
      const stored = await storageUnder(undefined, {}, { keyPrefix: undefined }).stat(Key);
      expect(stored!.size).toBeGreaterThan(data.length);
    } finally {
      client.destroy();
    }
  });

  it('sends a file larger than a part as a multipart upload, and reassembles it exactly', async () => {
    const storage = storageUnder(undefined, { partSize: 5 * MiB });
    const data = randomBytes(12 * MiB + 3);
    const file = join(work, 'large.mp4');
    await writeFile(file, data);
    const before = server.requests().length;
    await storage.upload('videos/m/video.mp4', file);
    const sent = server.requests().slice(before);
    expect(sent.filter((r) => /^POST .*\?uploads/.test(r))).toHaveLength(1);
    expect(sent.filter((r) => /^PUT .*[?&]partNumber=/.test(r))).toHaveLength(3);
    expect(sent.filter((r) => /^POST .*[?&]uploadId=/.test(r))).toHaveLength(1);
    expect(await storage.stat('videos/m/video.mp4')).toEqual({ size: data.length });
    expect(sha256(await storage.get('videos/m/video.mp4'))).toBe(sha256(data));
  });

  it('keeps two key prefixes in one bucket apart', async () => {
    const a = storageUnder();
    const b = storageUnder();
    await a.put('videos/v/video.mp4', Buffer.from('from a'));
    await b.put('videos/v/video.mp4', Buffer.from('from b'));
    await a.put('videos/only-a/x.txt', Buffer.from('x'));
    expect((await a.get('videos/v/video.mp4')).toString()).toBe('from a');
    expect((await b.get('videos/v/video.mp4')).toString()).toBe('from b');
    expect(await b.stat('videos/only-a/x.txt')).toBeUndefined();
    await b.deletePrefix('videos');
    expect(await b.stat('videos/v/video.mp4')).toBeUndefined();
    expect((await a.get('videos/v/video.mp4')).toString()).toBe('from a');
    expect(await a.stat('videos/only-a/x.txt')).toEqual({ size: 1 });
  });

  it('stores keys under the prefix in the bucket itself', async () => {
    const prefix = `p-${randomBytes(4).toString('hex')}/deployment`;
    const storage = storageUnder(prefix);
    await storage.put('videos/k/thumbnail.jpg', Buffer.from('jpg'));
    expect(await bucketKeys(prefix)).toEqual([`${prefix}/videos/k/thumbnail.jpg`]);
  });

  it('deletes a prefix across several listing pages, in batches, and nothing beside it', async () => {
    const storage = storageUnder(undefined, { listPageSize: 2 });
    for (let n = 0; n < 7; n++) await storage.put(`videos/many/slides/${String(n).padStart(3, '0')}.png`, Buffer.from([n]));
    await storage.put('videos/many-more/keep.txt', Buffer.from('keep'));
    const before = server.requests().length;
    await storage.deletePrefix('videos/many');
    const sent = server.requests().slice(before);
    expect(sent.filter((r) => /^GET .*list-type=2/.test(r)).length).toBeGreaterThanOrEqual(4);
    expect(sent.filter((r) => /continuation-token=/.test(r)).length).toBeGreaterThanOrEqual(3);
    expect(sent.filter((r) => /^POST .*\?delete/.test(r))).toHaveLength(4);
    for (let n = 0; n < 7; n++) expect(await storage.stat(`videos/many/slides/${String(n).padStart(3, '0')}.png`)).toBeUndefined();
    expect(await storage.stat('videos/many-more/keep.txt')).toEqual({ size: 4 });
  });

  it('presigns a GET that serves the object and its ranges without credentials', async () => {
    const storage = storageUnder();
    await storage.put('videos/u/video.mp4', Buffer.from('0123456789'));
    const url = await storage.readUrl('videos/u/video.mp4', {
      expiresInSeconds: 60,
      contentType: 'video/mp4',
      contentDisposition: 'inline; filename="v.mp4"',
    });
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('content-disposition')).toBe('inline; filename="v.mp4"');
    expect(await whole.text()).toBe('0123456789');
    const part = await fetch(url, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('2345');
    // Past its lifetime the store refuses it (signed an hour ago, valid for a minute).
    const expired = new URL(url);
    expired.searchParams.set('X-Amz-Date', new Date(Date.now() - 3600_000).toISOString().replace(/[-:]|\.\d+/g, ''));
    expect((await fetch(expired)).status).toBe(403);
  });

  it('signs URLs for S3_PUBLIC_ENDPOINT when clients reach the store at another address', async () => {
    const storage = storageUnder(undefined, {}, { publicEndpoint: 'https://media.example.com/' });
    const url = new URL(await storage.readUrl('videos/u/video.mp4', { expiresInSeconds: 300 }));
    expect(url.origin).toBe('https://media.example.com');
    expect(url.pathname).toBe(`/${server.bucket}/${storage['prefix']}videos/u/video.mp4`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('cuts a range past the end to nothing, as the local disk does', async () => {
    const storage = storageUnder();
    await storage.put('r/x.txt', Buffer.from('0123456789'));
    expect(await text(await storage.read('r/x.txt', { start: 10, end: 20 }))).toBe('');
  });

  it('answers ping when the bucket is there; a missing bucket is not a missing object', async () => {
    await expect(storageUnder().ping()).resolves.toBeUndefined();
    const nowhere = storageUnder(undefined, {}, { bucket: 'no-such-bucket' });
    await expect(nowhere.ping()).rejects.toThrow();
    const missing = nowhere.get('videos/x/video.mp4');
    await expect(missing).rejects.toThrow();
    await expect(missing).rejects.not.toBeInstanceOf(StorageObjectNotFoundError);
  });
});

describe('S3Storage with its server stopped', () => {
  let own: S3TestServer;

  beforeAll(async () => {
    own = await startS3Server();
  });

  afterAll(() => own?.close());

  it('fails ping within its timeout, says unavailable for every operation, and answers again once the server is back', async () => {
    const storage = new S3Storage(own.config(), { pingTimeoutMs: 1_000 });
    opened.push(storage);
    await storage.put('x/y.txt', Buffer.from('y'));
    await own.stop();
    const started = Date.now();
    await expect(storage.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(storage.get('x/y.txt')).rejects.not.toBeInstanceOf(StorageObjectNotFoundError);
    // Every operation a stage uses says "unavailable", which workers wait out without spending attempts.
    const work = await mkdtemp(join(tmpdir(), 'blinked-s3-down-'));
    try {
      const file = join(work, 'up.bin');
      await writeFile(file, 'up');
      for (const operation of [
        () => storage.get('x/y.txt'),
        () => storage.stat('x/y.txt'),
        () => storage.put('x/z.txt', Buffer.from('z')),
        () => storage.upload('x/up.bin', file),
        () => storage.download('x/y.txt', work),
        () => storage.deletePrefix('x'),
      ]) {
        const error = await operation().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StorageUnavailableError);
        expect((error as Error).message).toMatch(/^object store unreachable: .*ECONNREFUSED/);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    await own.start();
    await expect(storage.ping()).resolves.toBeUndefined();
    expect((await storage.get('x/y.txt')).toString()).toBe('y');
  });
});
