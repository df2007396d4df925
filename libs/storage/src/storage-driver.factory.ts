import { ConfigError, STORAGE_DRIVERS, type StorageConfig, type StorageDriverName } from '@app/config';
import { LocalDiskStorage } from './local-disk.storage.js';
import { S3Storage } from './s3/s3.storage.js';
import type { Storage } from './storage.port.js';

/**
 * One entry per driver name. The type makes a name added to STORAGE_DRIVERS
 * fail to compile until it has its adapter here.
 */
const DRIVERS: Record<StorageDriverName, (config: StorageConfig) => Storage> = {
  local: (config) => new LocalDiskStorage(config.dir),
  s3: (config) => {
    // parseStorageConfig always fills it for s3; a hand-built config may not.
    if (!config.s3) throw new ConfigError('S3_BUCKET must be set when STORAGE_DRIVER=s3');
    return new S3Storage(config.s3);
  },
};

/** Builds the configured Storage adapter; an unknown name is a configuration error. */
export function createStorage(config: StorageConfig): Storage {
  // checkConfig() already refused an unknown name at start-up; this guards callers that skip it.
  if (!Object.hasOwn(DRIVERS, config.driver)) {
    throw new ConfigError(`STORAGE_DRIVER must be one of ${STORAGE_DRIVERS.join(', ')}, got "${String(config.driver)}"`);
  }
  return DRIVERS[config.driver](config);
}
