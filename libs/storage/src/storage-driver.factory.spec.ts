import { ConfigError, parseStorageConfig, type StorageConfig } from '@app/config';
import { LocalDiskStorage } from './local-disk.storage.js';
import { S3Storage } from './s3/s3.storage.js';
import { createStorage } from './storage-driver.factory.js';

describe('createStorage', () => {
  it('builds the local-disk driver by default', () => {
    const config = parseStorageConfig({ STORAGE_DIR: '/tmp/blinked-factory' });
    expect(config).toEqual({ driver: 'local', dir: '/tmp/blinked-factory', delivery: 'proxy', redirectTtlSeconds: 300 });
    expect(createStorage(config)).toBeInstanceOf(LocalDiskStorage);
  });

  it('builds the S3 driver for STORAGE_DRIVER=s3', () => {
    const storage = createStorage(parseStorageConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'videos' }));
    expect(storage).toBeInstanceOf(S3Storage);
    (storage as S3Storage).onModuleDestroy();
  });

  it('refuses an unknown driver name at start-up, in the configuration check', () => {
    expect(() => parseStorageConfig({ STORAGE_DRIVER: 'ftp' })).toThrow(new ConfigError('STORAGE_DRIVER must be one of local, s3, got "ftp"'));
  });

  it('refuses an unknown driver name handed to it directly', () => {
    const config = { driver: 'toString', dir: '/tmp/x' } as unknown as StorageConfig;
    expect(() => createStorage(config)).toThrow(new ConfigError('STORAGE_DRIVER must be one of local, s3, got "toString"'));
  });

  it('refuses an s3 configuration without its bucket handed to it directly', () => {
    const config = { driver: 's3', dir: '/tmp/x', delivery: 'proxy', redirectTtlSeconds: 300 } as StorageConfig;
    expect(() => createStorage(config)).toThrow(new ConfigError('S3_BUCKET must be set when STORAGE_DRIVER=s3'));
  });
});
