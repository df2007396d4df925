import { isStorageKey } from '@app/config';
import { InvalidStorageKeyError } from './storage.errors.js';

/**
 * Every driver checks keys with this before touching anything. The rule itself
 * lives in @app/config (isStorageKey), which also applies it to S3_KEY_PREFIX at
 * start: `.` and `..` segments are refused outright, so a key can never name a
 * path outside the store, whatever the driver does with it afterwards.
 */
export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new InvalidStorageKeyError(key);
}

/** A range must be whole, non-negative and in order; past the end it is simply cut short. */
export function assertByteRange(range: { start: number; end: number } | undefined): void {
  if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end)) {
    throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
  }
}
