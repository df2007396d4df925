import { ConfigError, STORAGE_DRIVERS, type StorageConfig, type StorageDriverName } from '@app/config';
import { LocalDiskStorage } from './local-disk.storage.js';
import type { Storage } from './storage.port.js';

/**
 * One entry per driver name. The type makes a name added to STORAGE_DRIVERS
 * (an `s3` one, say) fail to compile until it has its adapter here.
 */
const DRIVERS: Record<StorageDriverName, (config: StorageConfig) => Storage> = {
  local: (config) => new LocalDiskStorage(config.dir),
};

/** Builds the configured Storage adapter; an unknown name is a configuration error. */
export function createStorage(config: StorageConfig): Storage {
  // checkConfig() already refused an unknown name at start-up; this guards callers that skip it.
  if (!Object.hasOwn(DRIVERS, config.driver)) {
    throw new ConfigError(`STORAGE_DRIVER must be one of ${STORAGE_DRIVERS.join(', ')}, got "${String(config.driver)}"`);
  }
  return DRIVERS[config.driver](config);
}
