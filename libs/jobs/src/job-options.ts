import type { JobsOptions } from 'bullmq';
import { DEFAULT_JOB_BACKOFF_MS } from '@app/config';
import { QueueName } from './queue-name.enum.js';

/**
 * Job ids derive from the video id (BullMQ ids may not contain ':'), so a
 * duplicated or retried enqueue never creates a second job for the same work.
 */
export const jobIds = {
  slides: (videoId: string) => `slides-${videoId}`,
  voice: (videoId: string, slideNumber: number) => `voice-${videoId}-${slideNumber}`,
  stitch: (videoId: string) => `stitch-${videoId}`,
  /** From the delivery's id: the relay and the sweep may add a delivery again and still make one job. */
  webhook: (deliveryId: string) => `webhook-${deliveryId}`,
};

const ATTEMPTS: Record<QueueName, number> = {
  [QueueName.Slides]: 4,
  [QueueName.Voice]: 5,
  [QueueName.Stitch]: 3,
  // Only our own failures (the database down while an attempt is recorded) spend these;
  // a receiver's failure moves the job to its next attempt without spending one.
  [QueueName.Webhooks]: 5,
};

/**
 * The only place job options are made: producers never build them by hand.
 * Exponential backoff with jitter spreads retries of many jobs hit by the same outage;
 * `backoffMs` is the first delay (RedisConfig.jobBackoffMs, JOB_BACKOFF_MS).
 */
export function jobOptions(queue: QueueName, jobId: string, backoffMs = DEFAULT_JOB_BACKOFF_MS): JobsOptions {
  return {
    jobId,
    attempts: ATTEMPTS[queue],
    backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 5000 },
    removeOnFail: { age: 7 * 24 * 3600 },
    // A voice child that fails for good fails its stitch parent, so the video fails
    // instead of waiting for children forever.
    ...(queue === QueueName.Voice ? { failParentOnFailure: true } : {}),
  };
}
