import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '@app/config';

const SERVER = resolve('test/support/s3rver-process.cjs');
/** s3rver checks signatures against this one account. */
const KEY = 'S3RVER';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the bucket's objects (and any unfinished multipart upload) on disk. */
  dir: string;
  /** A driver configuration for this server (optionally under a key prefix). */
  config(keyPrefix?: string): S3Config;
  /** The environment that points the apps at this server. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The bucket's keys under `prefix`, sorted, read through the S3 API (every page). */
  keys(prefix?: string): Promise<string[]>;
  /** Every request the server received so far, as `METHOD /path?query`. */
  requests(): string[];
  /** Stops the process, keeping its data: start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver) in a child process, on 127.0.0.1 at a free
 * port, keeping its objects in a temporary directory, with `bucket` created.
 */
export async function startS3Server(bucket = 'blinked-test'): Promise<S3TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'blinked-s3rver-'));
  let port = 0;
  let child: ChildProcess | undefined;
  const requests: string[] = [];

  const start = async () => {
    const proc = spawn(process.execPath, ['--openssl-legacy-provider', SERVER, dir, String(port), bucket], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let pending = '';
    port = await new Promise<number>((resolvePort, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          const message = JSON.parse(line) as { port?: number; request?: string };
          if (message.request) requests.push(message.request);
          if (message.port) resolvePort(message.port);
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening: ${output}`)));
    });
    child = proc;
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = once(proc, 'exit');
      proc.kill('SIGTERM');
      await exited;
    }
  };

  await start();
  const endpoint = () => `http://127.0.0.1:${port}`;
  const config = (keyPrefix?: string): S3Config => ({
    bucket,
    endpoint: `${endpoint()}/`,
    region: 'us-east-1',
    credentials: { accessKeyId: KEY, secretAccessKey: KEY },
    forcePathStyle: true,
    keyPrefix,
  });
  const keys = async (prefix = ''): Promise<string[]> => {
    const client = new S3Client({ ...config(), requestChecksumCalculation: 'WHEN_REQUIRED' });
    try {
      const found: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
        found.push(...(page.Contents ?? []).map((o) => o.Key!));
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return found.sort();
    } finally {
      client.destroy();
    }
  };
  return {
    get endpoint() {
      return endpoint();
    },
    bucket,
    dir,
    requests: () => [...requests],
    config,
    keys,
    env: (extra = {}) => ({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint(),
      S3_ACCESS_KEY_ID: KEY,
      S3_SECRET_ACCESS_KEY: KEY,
      ...extra,
    }),
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
