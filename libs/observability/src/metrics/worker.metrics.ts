import { Injectable } from '@nestjs/common';
import { FINISHED_STATUSES, type FinishedStatus, WEBHOOK_OUTCOMES, type WebhookOutcome } from './metric-catalog.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * What a worker records (see METRICS for each one's meaning). Stages, the stage runner
 * and the lifecycle services inject it; so does the webhook delivery code, through
 * `webhookDelivery()`. Series whose label values are few and known start at 0, so a
 * dashboard shows "none yet" rather than "no data".
 */
@Injectable()
export class WorkerMetrics {
  readonly stageDuration;
  readonly videoEndToEnd;
  readonly videosFinished;
  readonly stageFailures;
  readonly providerCalls;
  readonly providerCallDuration;
  readonly llmTokens;
  readonly ttsCharacters;
  readonly cacheLookups;
  readonly stitchRealtimeFactor;
  readonly webhookDeliveries;

  constructor(readonly registry: MetricsRegistry) {
    this.stageDuration = registry.histogram('stageDuration');
    this.videoEndToEnd = registry.histogram('videoEndToEnd');
    this.videosFinished = registry.counter('videosFinished');
    this.stageFailures = registry.counter('stageFailures');
    this.providerCalls = registry.counter('providerCalls');
    this.providerCallDuration = registry.histogram('providerCallDuration');
    this.llmTokens = registry.counter('llmTokens');
    this.ttsCharacters = registry.counter('ttsCharacters');
    this.cacheLookups = registry.counter('cacheLookups');
    this.stitchRealtimeFactor = registry.histogram('stitchRealtimeFactor');
    this.webhookDeliveries = registry.counter('webhookDeliveries');
    for (const status of FINISHED_STATUSES.filter((s) => s !== 'cancelled')) this.videosFinished.inc({ status }, 0);
    for (const outcome of WEBHOOK_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);
  }

  /** A video this process moved to a final status; `submittedAt` gives the end-to-end time of a completed one. */
  videoFinished(status: Exclude<FinishedStatus, 'cancelled'>, submittedAt?: Date): void {
    this.videosFinished.inc({ status });
    if (status === 'completed' && submittedAt) this.videoEndToEnd.observe(Math.max(0, (Date.now() - submittedAt.getTime()) / 1000));
  }

  /** One webhook delivery attempt's outcome: the hook the webhook delivery processor calls. */
  webhookDelivery(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }
}
