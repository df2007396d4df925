import type { JobName, QueueName } from './queue-name.enum.js';

/**
 * Kept on a job while an outage of our own infrastructure holds it back: when the
 * first such failure happened and how many followed (the worker's StageRunner), so the
 * waits grow and stop at INFRA_RETRY_MAX_SECONDS across deliveries and workers.
 */
export interface InfraRetryState {
  since: number;
  count: number;
}

/** Every job carries only ids: the database is the source of truth, so a retried job sees current state. */
export interface WriteDeckJob {
  queue: QueueName.Slides;
  name: JobName.WriteDeck;
  data: { videoId: string; infraRetry?: InfraRetryState };
}

export interface VoiceSlideJob {
  queue: QueueName.Voice;
  name: JobName.VoiceSlide;
  data: { videoId: string; slideNumber: number; infraRetry?: InfraRetryState };
}

export interface StitchVideoJob {
  queue: QueueName.Stitch;
  name: JobName.StitchVideo;
  data: { videoId: string; infraRetry?: InfraRetryState };
}

/**
 * One attempt at one webhook delivery (a row of webhook_deliveries, which holds everything
 * else). A failed attempt moves the same job back to delayed until the next one is due.
 */
export interface DeliverWebhookJob {
  queue: QueueName.Webhooks;
  name: JobName.DeliverWebhook;
  data: { deliveryId: string };
}

/** The jobs that make one video: each carries its id. */
export type VideoJob = WriteDeckJob | VoiceSlideJob | StitchVideoJob;

/** Every job of every queue, as one typed union. */
export type PipelineJob = VideoJob | DeliverWebhookJob;

/** A job that found its video gone (deleted mid-way) returns this and does nothing else. */
export interface SkippedResult {
  skipped: true;
  reason: string;
}
