import { ConfigError } from './config.error.js';
import { isStorageKey, parseStorageConfig } from './storage.config.js';

const S3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'videos' };

describe('parseStorageConfig', () => {
  it('defaults to the local disk, proxied', () => {
    expect(parseStorageConfig({})).toMatchObject({ driver: 'local', delivery: 'proxy', redirectTtlSeconds: 300 });
    expect(parseStorageConfig({}).s3).toBeUndefined();
  });

  it('reads an S3 bucket on AWS with the default credential chain', () => {
    expect(parseStorageConfig(S3).s3).toEqual({
      bucket: 'videos',
      endpoint: undefined,
      publicEndpoint: undefined,
      region: 'us-east-1',
      credentials: undefined,
      forcePathStyle: false,
      keyPrefix: undefined,
    });
  });

  it('reads an S3-compatible server: path-style by default, static keys, a key prefix', () => {
    const config = parseStorageConfig({
      ...S3,
      S3_ENDPOINT: 'http://minio:9000',
      S3_PUBLIC_ENDPOINT: 'https://media.example.com',
      S3_REGION: 'eu-west-3',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_KEY_PREFIX: 'prod/blinked',
      MEDIA_DELIVERY: 'redirect',
      MEDIA_REDIRECT_TTL_SECONDS: '120',
    });
    expect(config).toMatchObject({ driver: 's3', delivery: 'redirect', redirectTtlSeconds: 120 });
    expect(config.s3).toEqual({
      bucket: 'videos',
      endpoint: 'http://minio:9000/',
      publicEndpoint: 'https://media.example.com/',
      region: 'eu-west-3',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
      keyPrefix: 'prod/blinked',
    });
  });

  it('lets S3_FORCE_PATH_STYLE override the default either way', () => {
    expect(parseStorageConfig({ ...S3, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false' }).s3!.forcePathStyle).toBe(false);
    expect(parseStorageConfig({ ...S3, S3_FORCE_PATH_STYLE: 'true' }).s3!.forcePathStyle).toBe(true);
  });

  it('ignores the S3 settings with the local driver', () => {
    expect(parseStorageConfig({ S3_ENDPOINT: 'not a url' }).s3).toBeUndefined();
  });

  it.each([
    [{ STORAGE_DRIVER: 's3' }, 'S3_BUCKET must be set when STORAGE_DRIVER=s3'],
    [{ ...S3, S3_ENDPOINT: 'minio:9000' }, 'S3_ENDPOINT must use http: or https:, got "minio:"'],
    [{ ...S3, S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT is not a valid URL (expected http://… or https://…)'],
    [{ ...S3, S3_PUBLIC_ENDPOINT: 'ftp://media' }, 'S3_PUBLIC_ENDPOINT must use http: or https:, got "ftp:"'],
    [
      { ...S3, S3_ACCESS_KEY_ID: 'id' },
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the default AWS credential chain)',
    ],
    [
      { ...S3, S3_SECRET_ACCESS_KEY: 'secret' },
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither, for the default AWS credential chain)',
    ],
    [{ ...S3, S3_KEY_PREFIX: '../other' }, 'S3_KEY_PREFIX must be slash-separated segments of letters, digits, ".", "_" or "-", got "../other"'],
    [{ ...S3, S3_KEY_PREFIX: 'a//b' }, 'S3_KEY_PREFIX must be slash-separated segments of letters, digits, ".", "_" or "-", got "a//b"'],
    [{ ...S3, S3_FORCE_PATH_STYLE: 'yes' }, 'S3_FORCE_PATH_STYLE must be one of true, false, got "yes"'],
    [{ MEDIA_DELIVERY: 'redirect' }, 'MEDIA_DELIVERY=redirect needs STORAGE_DRIVER=s3 (a presigned URL); with local use proxy'],
    [{ MEDIA_DELIVERY: 'cdn' }, 'MEDIA_DELIVERY must be one of proxy, redirect, got "cdn"'],
    [{ ...S3, MEDIA_REDIRECT_TTL_SECONDS: '0' }, 'MEDIA_REDIRECT_TTL_SECONDS must be between 1 and 604800, got 0'],
  ])('refuses %p in one line', (env, message) => {
    expect(() => parseStorageConfig(env)).toThrow(new ConfigError(message));
  });

  it('never echoes the secret key', () => {
    expect(() => parseStorageConfig({ ...S3, S3_SECRET_ACCESS_KEY: 'hunter2-secret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('isStorageKey', () => {
  it.each(['videos/a/video.mp4', 'a', 'blobs/tts/ab/abc.mp3', 'x.y-z_1'])('accepts %p', (key) => expect(isStorageKey(key)).toBe(true));
  it.each(['', '/a', 'a/', 'a//b', '.', '..', 'a/../b', 'a b', 'a\\b', 'é', 'x'.repeat(1025), 42])('refuses %p', (key) =>
    expect(isStorageKey(key)).toBe(false),
  );
});
