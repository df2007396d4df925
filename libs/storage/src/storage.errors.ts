/** A key that could escape the store or that an object store would not accept. */
export class InvalidStorageKeyError extends Error {
  override readonly name = 'InvalidStorageKeyError';

  constructor(readonly key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

/**
 * No object under this key. Every driver maps its own "missing" (ENOENT, S3
 * NoSuchKey, …) to this, so callers never depend on one driver's error codes.
 */
export class StorageObjectNotFoundError extends Error {
  override readonly name = 'StorageObjectNotFoundError';

  constructor(readonly key: string) {
    super(`no stored object at ${JSON.stringify(key)}`);
  }
}
