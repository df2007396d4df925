import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '@app/config';
import { StorageObjectNotFoundError, StorageUnavailableError } from '../storage.errors.js';
import { type ByteRange, type ReadUrlOptions, Storage, type StoredObject } from '../storage.port.js';
import { assertByteRange, assertStorageKey } from '../storage.validation.js';
import { createS3Client } from './s3-client.js';
import { isInvalidRange, isMissingObject, isStoreUnreachable } from './s3.errors.js';

export interface S3StorageOptions {
  /** Keys per ListObjectsV2 page and DeleteObjects batch in deletePrefix (S3's maximum, 1000, by default). */
  listPageSize?: number;
  /** Part size of multipart uploads; a file up to this size goes up in one PutObject. */
  partSize?: number;
  /** How long ping() waits for HeadBucket. */
  pingTimeoutMs?: number;
}

const MiB = 1024 * 1024;

/**
 * Storage in an S3-compatible bucket (AWS, MinIO, Ceph, R2, …). Every key lives
 * under S3_KEY_PREFIX when one is set. Objects are written whole by PutObject or
 * a completed multipart upload, so readers never see a part of one.
 */
export class S3Storage extends Storage {
  private readonly client: S3Client;
  /** Signs URLs for S3_PUBLIC_ENDPOINT when clients reach the store elsewhere; sends no requests. */
  private readonly presigner: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly listPageSize: number;
  private readonly partSize: number;
  private readonly pingTimeoutMs: number;

  constructor(config: S3Config, options: S3StorageOptions = {}) {
    super();
    this.client = createS3Client(config);
    this.presigner = config.publicEndpoint ? createS3Client(config, config.publicEndpoint) : this.client;
    this.bucket = config.bucket;
    this.prefix = config.keyPrefix ? `${config.keyPrefix}/` : '';
    this.listPageSize = options.listPageSize ?? 1000;
    this.partSize = Math.max(5 * MiB, options.partSize ?? 8 * MiB);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  }

  async put(key: string, data: Buffer): Promise<void> {
    return this.reachable(async () => {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: data, ContentLength: data.length }));
    });
  }

  async upload(key: string, file: string): Promise<void> {
    return this.reachable(async () => {
      const Key = this.objectKey(key);
      // Fails here with ENOENT, as the local driver does, before any request is made.
      await stat(file);
      // One PutObject up to partSize, a multipart upload above it (large MP4s),
      // with parts read from disk as they go rather than the whole file in memory.
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key, Body: createReadStream(file) },
        partSize: this.partSize,
        queueSize: 4,
      });
      await upload.done();
    });
  }

  async get(key: string): Promise<Buffer> {
    return this.reachable(async () => {
      const { Body } = await this.getObject(key);
      return Buffer.from(await Body.transformToByteArray());
    });
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    return this.reachable(async () => {
      const Key = this.objectKey(key);
      try {
        const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
        return { size: head.ContentLength ?? 0 };
      } catch (e) {
        if (isMissingObject(e)) return undefined;
        throw e;
      }
    });
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    return this.reachable(async () => {
      assertByteRange(range);
      try {
        const out = await this.getObject(key, range);
        return range ? fitToRange(toReadable(out.Body), out.ContentRange, range) : toReadable(out.Body);
      } catch (e) {
        // A range that starts past the end is cut short to nothing, as on the local disk.
        if (range && isInvalidRange(e)) return Readable.from([]);
        throw e;
      }
    });
  }

  async download(key: string, dir: string): Promise<string> {
    return this.reachable(async () => {
      const objectKey = this.objectKey(key);
      // The key is already checked, so it cannot climb out of `dir` either.
      const target = join(resolve(dir), key);
      const { Body } = await this.getObject(key, undefined, objectKey);
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await pipeline(toReadable(Body), createWriteStream(tmp));
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      return target;
    });
  }

  async delete(key: string): Promise<void> {
    return this.reachable(async () => {
      // S3 answers 204 for a key that does not exist: no error, as the port asks.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    return this.reachable(async () => {
      // The trailing slash keeps videos/a from taking videos/ab with it.
      const Prefix = `${this.objectKey(prefix)}/`;
      let ContinuationToken: string | undefined;
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, MaxKeys: this.listPageSize, ContinuationToken }));
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length) {
          const result = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
          // DeleteObjects answers 200 even when some keys failed: they are listed in Errors.
          const failed = result.Errors ?? [];
          if (failed.length) {
            const first = failed[0]!;
            throw new Error(`could not delete ${failed.length} object(s) under ${JSON.stringify(prefix)}: ${first.Key}: ${first.Code} ${first.Message}`);
          }
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    });
  }

  async ping(): Promise<void> {
    return this.reachable(async () => {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: AbortSignal.timeout(this.pingTimeoutMs) });
    });
  }

  async readUrl(key: string, options: ReadUrlOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
    });
    return getSignedUrl(this.presigner, command, { expiresIn: options.expiresInSeconds });
  }

  /** Closes the client's sockets (Nest calls this on shutdown). */
  onModuleDestroy(): void {
    this.client.destroy();
    if (this.presigner !== this.client) this.presigner.destroy();
  }

  private async getObject(key: string, range?: ByteRange, objectKey = this.objectKey(key)): Promise<GetObjectCommandOutput & { Body: Body }> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: objectKey, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!out.Body) throw new Error(`S3 answered GetObject for ${JSON.stringify(key)} without a body`);
      return { ...out, Body: out.Body };
    } catch (e) {
      if (isMissingObject(e)) throw new StorageObjectNotFoundError(key);
      throw e;
    }
  }

  /**
   * Runs one operation of the port: the store not answering becomes a
   * StorageUnavailableError (the SDK's error as its cause), the one error callers
   * look for, whichever driver runs.
   */
  private async reachable<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (e) {
      if (isStoreUnreachable(e)) throw new StorageUnavailableError(`object store unreachable: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }

  private objectKey(key: string): string {
    assertStorageKey(key);
    return this.prefix + key;
  }
}

type Body = NonNullable<GetObjectCommandOutput['Body']>;

/** In Node the SDK's body is an http.IncomingMessage with helper methods mixed in. */
function toReadable(body: Body): Readable {
  if (body instanceof Readable) return body;
  throw new Error('S3 answered with a body that is not a Node stream');
}

/**
 * Exactly the bytes of `range`, whatever the server sent: HTTP lets a server
 * ignore Range (200, the whole object), and some S3-compatible ones answer a
 * wider range than asked (s3rver reads `bytes=0-0` as the whole object). The api
 * has already promised a Content-Length, so extra bytes would corrupt the reply.
 */
function fitToRange(body: Readable, contentRange: string | undefined, range: ByteRange): Readable {
  const served = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  const servedStart = served ? Number(served[1]) : 0;
  const servedEnd = served ? Number(served[2]) : Infinity;
  if (servedStart > range.start) {
    body.destroy();
    throw new Error(`S3 answered bytes ${contentRange ?? ''} for a request of bytes ${range.start}-${range.end}`);
  }
  if (servedStart === range.start && servedEnd <= range.end) return body;
  return Readable.from(slice(body, range.start - servedStart, range.end - range.start + 1), { objectMode: false });
}

async function* slice(source: Readable, skip: number, length: number): AsyncGenerator<Buffer> {
  // Leaving the loop early destroys the source, so the rest is never downloaded.
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const from = Math.min(skip, chunk.length);
    skip -= from;
    const part = chunk.subarray(from, from + length);
    length -= part.length;
    if (part.length) yield part;
    if (length === 0) return;
  }
}
