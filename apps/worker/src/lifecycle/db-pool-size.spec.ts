import { parseWorkerConfig } from '@app/config';
import { POOL_MARGIN, WEBHOOK_CONNECTIONS, workerPoolSize } from './db-pool-size.js';

describe('the worker database pool', () => {
  it('has a connection for every job the worker may run at once, plus a margin', () => {
    expect(workerPoolSize({ slides: 2, voice: 4, stitch: 1, webhooks: 10 })).toBe(7 + WEBHOOK_CONNECTIONS + POOL_MARGIN);
    expect(POOL_MARGIN).toBeGreaterThan(0);
  });

  it('grows with the configured concurrency, but not with the webhook deliveries, which hold none while they wait', () => {
    const config = parseWorkerConfig({ WORKER_CONCURRENCY_SLIDES: '3', WORKER_CONCURRENCY_VOICE: '256', WORKER_CONCURRENCY_STITCH: '2' });
    expect(workerPoolSize(config.concurrency)).toBe(261 + WEBHOOK_CONNECTIONS + POOL_MARGIN);
    expect(workerPoolSize({ ...config.concurrency, webhooks: 200 })).toBe(workerPoolSize(config.concurrency));
  });
});
