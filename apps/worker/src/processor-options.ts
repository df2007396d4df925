import { parseWorkerConfig } from '@app/config';
import { QueueName } from '@app/jobs';

/**
 * Worker options per queue, read from the environment when the processor
 * classes are declared (main.ts loads .env and validates before importing them).
 */
export function processorOptions(queue: QueueName) {
  const config = parseWorkerConfig(process.env);
  const base = { lockDuration: config.lockDurationMs, stalledInterval: config.lockDurationMs, maxStalledCount: 2 };
  switch (queue) {
    case QueueName.Slides:
      return { ...base, concurrency: config.concurrency.slides };
    case QueueName.Voice:
      return { ...base, concurrency: config.concurrency.voice, limiter: { max: config.voiceRatePerSecond, duration: 1000 } };
    case QueueName.Stitch:
      return { ...base, concurrency: config.concurrency.stitch };
  }
}
