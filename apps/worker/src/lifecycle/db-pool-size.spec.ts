import { parseWorkerConfig } from '@app/config';
import { POOL_MARGIN, workerPoolSize } from './db-pool-size.js';

describe('the worker database pool', () => {
  it('has a connection for every job the worker may run at once, plus a margin', () => {
    expect(workerPoolSize({ slides: 2, voice: 4, stitch: 1 })).toBe(7 + POOL_MARGIN);
    expect(POOL_MARGIN).toBeGreaterThan(0);
  });

  it('grows with the configured concurrency', () => {
    const config = parseWorkerConfig({ WORKER_CONCURRENCY_SLIDES: '3', WORKER_CONCURRENCY_VOICE: '256', WORKER_CONCURRENCY_STITCH: '2' });
    expect(workerPoolSize(config.concurrency)).toBe(261 + POOL_MARGIN);
  });
});
