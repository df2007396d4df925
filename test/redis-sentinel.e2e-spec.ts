import { parseRedisConfig, type RedisConfig } from '@app/config';
import { bullConnection, bullPrefix, CancellationBus } from '@app/jobs';
import { Queue, Worker } from 'bullmq';
import { type RedisWithSentinel, redisCli, startRedisWithSentinel } from './support/redis-servers.js';
import { uniquePrefix } from './support/test-db.js';
import { waitFor } from './support/wait.js';

const MASTER_PASSWORD = 'master-secret';
const SENTINEL_PASSWORD = 'sentinel-secret';

let redis: RedisWithSentinel;
let config: RedisConfig;

beforeAll(async () => {
  redis = await startRedisWithSentinel({ masterPassword: MASTER_PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
  config = parseRedisConfig({
    // Nothing listens on this host and port: whatever connects found the master through the sentinel.
    REDIS_URL: `redis://:${MASTER_PASSWORD}@127.0.0.1:1/3`,
    REDIS_SENTINELS: `127.0.0.1:${redis.sentinel.port}`,
    REDIS_SENTINEL_NAME: redis.masterName,
    REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
    QUEUE_PREFIX: uniquePrefix(),
  });
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

describe('through Redis Sentinel', () => {
  it('a job goes round the queue: added by a producer, run by a worker, on the master’s database 3', async () => {
    const queue = new Queue('slides', { connection: bullConnection(config, 'producer'), prefix: bullPrefix(config) });
    const seen: unknown[] = [];
    const worker = new Worker(
      'slides',
      async (job) => {
        seen.push(job.data);
        return 'done';
      },
      { connection: bullConnection(config, 'worker'), prefix: bullPrefix(config) },
    );
    try {
      const job = await queue.add('write-deck', { videoId: 'v-sentinel' }, { jobId: 'slides-v-sentinel' });
      await waitFor(
        () => queue.getJobState(job.id!),
        (s) => s === 'completed',
        15_000,
        'the job to complete',
      );
      expect(seen).toEqual([{ videoId: 'v-sentinel' }]);
      const keys = await redisCli(redis.master.port, ['-n', '3', '--scan', '--pattern', `${config.queuePrefix}:slides:*`], MASTER_PASSWORD);
      expect(keys).toContain(`${config.queuePrefix}:slides:slides-v-sentinel`);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('carries the cancellation channel', async () => {
    const channel = `${config.queuePrefix}:cancel`;
    const subscriber = new CancellationBus(config, channel);
    const publisher = new CancellationBus(config, channel);
    const received: string[] = [];
    try {
      await subscriber.subscribe((id) => received.push(id));
      await publisher.publish('v-deleted');
      await waitFor(
        async () => received,
        (r) => r.length > 0,
        10_000,
        'the cancel message',
      );
      expect(received).toEqual(['v-deleted']);
    } finally {
      await Promise.all([subscriber.onModuleDestroy(), publisher.onModuleDestroy()]);
    }
  });
});
