import { parseWorkerConfig } from '@app/config';
import { QueueName } from '@app/jobs';

/**
 * A limiter on a queue that needs no steady throttle. BullMQ honours a manual
 * rate limit (queue.rateLimit(ms), what StageRunner does on a provider's 429)
 * only for workers that have `limiter.max` set: without one the rate-limited job
 * is fetched again at once, and the provider is called again in a tight loop that
 * never counts as an attempt. This bound is high enough never to throttle by itself.
 */
const RATE_LIMIT_ONLY = { max: 10_000, duration: 1000 };

/**
 * Worker options per queue, read from the environment when the processor
 * classes are declared (main.ts loads .env and validates before importing them).
 */
export function processorOptions(queue: QueueName) {
  const config = parseWorkerConfig(process.env);
  // The stalled check runs at half the lock: a dead worker's job resumes 1 to 1.5 lock durations after it died.
  const base = { lockDuration: config.lockDurationMs, stalledInterval: Math.max(500, Math.round(config.lockDurationMs / 2)), maxStalledCount: 2 };
  switch (queue) {
    case QueueName.Slides:
      return { ...base, concurrency: config.concurrency.slides, limiter: RATE_LIMIT_ONLY };
    case QueueName.Voice:
      return { ...base, concurrency: config.concurrency.voice, limiter: { max: config.voiceRatePerSecond, duration: 1000 } };
    case QueueName.Stitch:
      return { ...base, concurrency: config.concurrency.stitch, limiter: RATE_LIMIT_ONLY };
    case QueueName.Webhooks:
      // No limiter: nothing here is rate-limited, and each delivery waits on its own receiver.
      return { ...base, concurrency: config.concurrency.webhooks };
  }
}
