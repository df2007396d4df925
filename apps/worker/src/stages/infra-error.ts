import { UnrecoverableError } from 'bullmq';
import { DeckValidationError, ProviderError } from '@app/ai';
import { isDatabaseUnavailable } from '@app/db';
import { isStorageUnavailable } from '@app/storage';
import { VideoGone } from './video-gone.error.js';

/** ioredis's words when a command cannot reach Redis (the worker's own commands wait; these are the ones that gave up). */
const REDIS_UNAVAILABLE = /Connection is closed|Stream isn't writeable|Reached the max retries per request limit|connect ETIMEDOUT/i;

/**
 * True when a stage failed because our own infrastructure could not be reached
 * (PostgreSQL, Redis, the object store), not because of the work or a provider:
 * such a failure is waited out without spending one of the attempts meant for
 * provider errors. A provider's own network failure is a ProviderError and stays one.
 */
export function isInfraError(error: unknown): boolean {
  if (error instanceof ProviderError || error instanceof DeckValidationError || error instanceof UnrecoverableError || error instanceof VideoGone) {
    return false;
  }
  // The store's drivers say it themselves (the S3 SDK's TimeoutError carries no socket code).
  if (isStorageUnavailable(error)) return true;
  // Socket errors anywhere in the chain: the database, and anything else of ours that keeps Node's code.
  if (isDatabaseUnavailable(error)) return true;
  for (let e = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (REDIS_UNAVAILABLE.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}

/**
 * The wait before the n-th (1-based) try after an infrastructure failure: doubling from
 * `baseMs`, capped, then spread over 80–100 % of that. Without the spread, every job that
 * met one outage would come back in the same millisecond and meet the returning service
 * all at once; with it they arrive over a fifth of the interval, and never later than the cap.
 */
export function infraBackoffMs(n: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
  return Math.round(ceiling * (0.8 + 0.2 * random()));
}
