import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, oneOf, str, url } from './env.parsers.js';

/** Storage drivers this build knows; libs/storage maps each name to an adapter. */
export const STORAGE_DRIVERS = ['local', 's3'] as const;
export type StorageDriverName = (typeof STORAGE_DRIVERS)[number];

/**
 * How the api hands out a stored video: `proxy` streams it through the api (any
 * driver); `redirect` answers 302 to a short-lived presigned URL of the object
 * store, so the bytes never pass through the api (s3 only).
 */
export const MEDIA_DELIVERIES = ['proxy', 'redirect'] as const;
export type MediaDelivery = (typeof MEDIA_DELIVERIES)[number];

export interface S3Config {
  bucket: string;
  /** The S3 API endpoint (MinIO, Ceph, R2, …); undefined means AWS itself. */
  endpoint?: string;
  /** Where clients reach the store, when that differs from `endpoint` (presigned URLs are signed for it). */
  publicEndpoint?: string;
  region: string;
  /** Static keys; undefined leaves the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Every key is stored under `<keyPrefix>/`, so several deployments can share a bucket. */
  keyPrefix?: string;
}

export interface StorageConfig {
  /** Which adapter holds the files; checked at start-up so a typo stops the process in one line. */
  driver: StorageDriverName;
  /** Absolute directory where videos, slides and audio live, keyed by video id (driver `local`). */
  dir: string;
  /** The bucket and how to reach it (driver `s3` only). */
  s3?: S3Config;
  delivery: MediaDelivery;
  /** Lifetime of a presigned media URL (delivery `redirect`), in seconds. */
  redirectTtlSeconds: number;
}

// Slash-separated segments of a portable alphabet: no empty segment (`a//b`), no
// leading slash, nothing a shell, a URL or an object store would treat specially.
const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
// S3's limit on key length; the local disk would take longer ones, but a key
// that works on one driver must work on all.
const MAX_KEY_BYTES = 1024;

/**
 * The one rule for storage keys (libs/storage's assertStorageKey applies it to
 * every key; here it also checks S3_KEY_PREFIX at start). `.` and `..` segments are
 * refused outright, so a key can never name a path outside the store.
 */
export function isStorageKey(key: unknown): key is string {
  return (
    typeof key === 'string' && KEY.test(key) && Buffer.byteLength(key) <= MAX_KEY_BYTES && !key.split('/').some((part) => part === '.' || part === '..')
  );
}

function parseS3Config(env: Env): S3Config {
  const bucket = str(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET must be set when STORAGE_DRIVER=s3');
  const endpoint = str(env, 'S3_ENDPOINT') === undefined ? undefined : url(env, 'S3_ENDPOINT', '', ['http:', 'https:']).href;
  const publicEndpoint = str(env, 'S3_PUBLIC_ENDPOINT') === undefined ? undefined : url(env, 'S3_PUBLIC_ENDPOINT', '', ['http:', 'https:']).href;
  const accessKeyId = str(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = str(env, 'S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the default AWS credential chain)');
  }
  const keyPrefix = str(env, 'S3_KEY_PREFIX');
  if (keyPrefix !== undefined && !isStorageKey(keyPrefix)) {
    throw new ConfigError(`S3_KEY_PREFIX must be slash-separated segments of letters, digits, ".", "_" or "-", got ${JSON.stringify(keyPrefix)}`);
  }
  return {
    bucket,
    endpoint,
    publicEndpoint,
    region: str(env, 'S3_REGION', 'us-east-1')!,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // Servers other than AWS rarely resolve bucket subdomains (bucket.127.0.0.1 does not exist).
    forcePathStyle: oneOf(env, 'S3_FORCE_PATH_STYLE', ['true', 'false'], endpoint ? 'true' : 'false') === 'true',
    keyPrefix,
  };
}

export function parseStorageConfig(env: Env): StorageConfig {
  const driver = oneOf(env, 'STORAGE_DRIVER', STORAGE_DRIVERS, 'local');
  const delivery = oneOf(env, 'MEDIA_DELIVERY', MEDIA_DELIVERIES, 'proxy');
  if (delivery === 'redirect' && driver !== 's3') {
    throw new ConfigError(`MEDIA_DELIVERY=redirect needs STORAGE_DRIVER=s3 (a presigned URL); with ${driver} use proxy`);
  }
  return {
    driver,
    dir: resolve(str(env, 'STORAGE_DIR', './data/storage')!),
    s3: driver === 's3' ? parseS3Config(env) : undefined,
    delivery,
    // S3 refuses presigned URLs valid for more than 7 days.
    redirectTtlSeconds: int(env, 'MEDIA_REDIRECT_TTL_SECONDS', 300, 1, 7 * 24 * 3600),
  };
}

export const storageConfig = registerAs('storage', () => parseStorageConfig(process.env));
