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

/**
 * The store could not be reached or did not answer (down, restarting, unreachable,
 * overloaded): our own infrastructure failing, not the request. Drivers wrap such
 * failures in it, with the driver's error as `cause`, so that workers wait the outage out
 * instead of spending a job's attempts, and the api answers 503.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/** True when `error`, or anything in its `cause` chain, is a StorageUnavailableError. */
export function isStorageUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof StorageUnavailableError) return true;
    e = e.cause;
  }
  return false;
}
