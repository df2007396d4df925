import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { WorkerMetrics } from '@app/observability';
import { ProcessorRegistry } from '../processors/processor-registry.js';
import { stageLabel, stageName } from '../stages/stage-label.js';
import { VideoFailures } from './video-failures.service.js';

/** BullMQ's reason for a job whose worker died while running it more than maxStalledCount times. */
const STALLED = 'job stalled more than allowable limit';

/** What the video's `error` says for a job that failed for good. */
export function failureMessage(job: Pick<Job, 'queueName' | 'data' | 'failedReason'>, error?: Error): string {
  const label = stageLabel(job.queueName, job.data);
  const reason = error?.message ?? job.failedReason ?? 'unknown error';
  if (reason.startsWith(label)) return reason; // StageRunner's own message already names the step
  if (reason === STALLED) return `${label} failed: the worker running it stopped (crashed or was killed) too many times (${STALLED})`;
  return `${label} failed: ${reason}`;
}

/**
 * Every way BullMQ fails a job for good (attempts exhausted, an UnrecoverableError,
 * a job that stalled out) ends its video in `failed` with a reason, even when the
 * database is down at that moment (VideoFailures keeps trying). Retried failures
 * (finishedOn unset) leave the video alone. A job that stalled out never reached
 * StageRunner's count of failures, so it is counted here (cause `stalled`).
 */
@Injectable()
export class FailedJobsListener implements OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRegistry,
    private readonly failures: VideoFailures,
    private readonly metrics: WorkerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const processor of this.processors.all()) {
      processor.worker.on('failed', (job: Job | undefined, error: Error) => {
        if (job && (error?.message ?? job.failedReason) === STALLED) this.metrics.stageFailures.inc({ stage: stageName(job.queueName), cause: 'stalled' });
        const videoId = (job?.data as { videoId?: string } | undefined)?.videoId;
        if (!job || !job.finishedOn || !videoId) return;
        void this.failures.record(videoId, failureMessage(job, error));
      });
    }
  }
}
