import { InvalidStorageKeyError } from './storage.errors.js';

// Slash-separated segments of a portable alphabet: no empty segment (`a//b`), no
// leading slash, nothing a shell, a URL or an object store would treat specially.
const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
// S3's limit on key length; the local disk would take longer ones, but a key
// that works on one driver must work on all.
const MAX_KEY_BYTES = 1024;

/**
 * Every driver checks keys with this before touching anything: `.` and `..`
 * segments are refused outright, so a key can never name a path outside the
 * store, whatever the driver does with it afterwards.
 */
export function assertStorageKey(key: string): void {
  if (
    typeof key !== 'string' ||
    !KEY.test(key) ||
    Buffer.byteLength(key) > MAX_KEY_BYTES ||
    key.split('/').some((part) => part === '.' || part === '..')
  ) {
    throw new InvalidStorageKeyError(key);
  }
}

/** A range must be whole, non-negative and in order; past the end it is simply cut short. */
export function assertByteRange(range: { start: number; end: number } | undefined): void {
  if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end)) {
    throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
  }
}
