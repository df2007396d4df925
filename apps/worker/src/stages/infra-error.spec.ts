import { UnrecoverableError } from 'bullmq';
import { ProviderError } from '@app/ai';
import { StorageUnavailableError } from '@app/storage';
import { infraBackoffMs, isInfraError } from './infra-error.js';
import { VideoGone } from './video-gone.error.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isInfraError', () => {
  it('counts our own database, Redis and storage being unreachable', () => {
    expect(isInfraError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isInfraError(new Error('Connection is closed.'))).toBe(true);
    expect(isInfraError(new Error('upload failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:9000', 'ECONNREFUSED') }))).toBe(true);
  });

  it("counts the store saying it is unavailable, though the cause has no socket code (the S3 SDK's TimeoutError)", () => {
    const timeout = Object.assign(new Error('the request socket did not establish a connection with the server within 5000 ms'), { name: 'TimeoutError' });
    expect(isInfraError(timeout)).toBe(false);
    expect(isInfraError(new StorageUnavailableError(`object store unreachable: ${timeout.message}`, { cause: timeout }))).toBe(true);
    expect(isInfraError(new Error('Stitching failed', { cause: new StorageUnavailableError('object store unreachable') }))).toBe(true);
  });

  it('never counts a provider failure, a deleted video or a permanent error, even over a refused connection', () => {
    expect(isInfraError(new ProviderError('Gemini', 'transient', 'connect ECONNREFUSED'))).toBe(false);
    expect(isInfraError(new VideoGone('v'))).toBe(false);
    expect(isInfraError(new UnrecoverableError('Connection is closed'))).toBe(false);
    expect(isInfraError(new Error('ffmpeg exited with code 1'))).toBe(false);
  });
});

describe('infraBackoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((n) => infraBackoffMs(n, 1000, 30_000, top))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('spreads jobs over the last fifth of each interval, so they do not all return at once', () => {
    expect(infraBackoffMs(3, 1000, 30_000, () => 0)).toBe(3200);
    expect(infraBackoffMs(40, 1000, 30_000, () => 0)).toBe(24_000);
    const waits = Array.from({ length: 200 }, () => infraBackoffMs(6, 1000, 30_000));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(24_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(30_000);
    expect(new Set(waits).size).toBeGreaterThan(100);
  });
});
