import { ConfigError, parseStorageConfig, type StorageConfig } from '@app/config';
import { LocalDiskStorage } from './local-disk.storage.js';
import { createStorage } from './storage-driver.factory.js';

describe('createStorage', () => {
  it('builds the local-disk driver by default', () => {
    const config = parseStorageConfig({ STORAGE_DIR: '/tmp/blinked-factory' });
    expect(config).toEqual({ driver: 'local', dir: '/tmp/blinked-factory' });
    expect(createStorage(config)).toBeInstanceOf(LocalDiskStorage);
  });

  it('refuses an unknown driver name at start-up, in the configuration check', () => {
    expect(() => parseStorageConfig({ STORAGE_DRIVER: 's3' })).toThrow(new ConfigError('STORAGE_DRIVER must be one of local, got "s3"'));
  });

  it('refuses an unknown driver name handed to it directly', () => {
    const config = { driver: 'toString', dir: '/tmp/x' } as unknown as StorageConfig;
    expect(() => createStorage(config)).toThrow(new ConfigError('STORAGE_DRIVER must be one of local, got "toString"'));
  });
});
