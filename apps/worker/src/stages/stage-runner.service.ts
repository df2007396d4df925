import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DelayedError, type Job, type Queue, RateLimitError, UnrecoverableError } from 'bullmq';
import { DeckValidationError, ProviderError } from '@app/ai';
import type { InfraRetryConfig, WorkerConfig } from '@app/config';
import type { InfraRetryState, SkippedResult } from '@app/jobs';
import { WorkerMetrics } from '@app/observability';
import { Storage, videoKeys } from '@app/storage';
import { VideoFailures } from '../lifecycle/video-failures.service.js';
import { failureCause } from '../observability/failure-cause.js';
import { infraBackoffMs, isInfraError } from './infra-error.js';
import { stageName } from './stage-label.js';
import { VideoGone } from './video-gone.error.js';
import { LiveVideo } from './live-video.service.js';

/** When a provider says "slow down" without saying for how long. */
const DEFAULT_RATE_LIMIT_MS = 30_000;

type StageJob = Job<{ videoId: string; infraRetry?: InfraRetryState }>;

/**
 * Runs one stage for a processor and turns its outcome into what BullMQ needs:
 * - the video is gone (deleted, or cancelled) → the job completes as skipped and the
 *   files under its folder are removed; a cancelled video keeps its rows, and a retry
 *   re-renders its slide images from them and takes its narration from the
 *   content-addressed cache (blobs/, outside the folder), so no provider is called again;
 * - a provider's 429 → the queue is rate-limited and the job waits, not failing;
 * - our own infrastructure unreachable (database, Redis, storage) → the job goes
 *   back to delayed with its own backoff and spends no attempt, for at most
 *   INFRA_RETRY_MAX_SECONDS in all (then it counts as an ordinary failure);
 * - a permanent failure → UnrecoverableError, the video fails at once;
 * - anything else → a plain throw, retried with backoff; on the last attempt the
 *   video fails with a message naming the stage and the cause.
 * Failures are always re-thrown to BullMQ, never swallowed. Each run is measured: its
 * duration when it succeeds, its cause when it fails (deletion and cancellation are neither).
 */
@Injectable()
export class StageRunner {
  private readonly logger = new Logger(StageRunner.name);
  private readonly infra: InfraRetryConfig;

  constructor(
    private readonly live: LiveVideo,
    private readonly failures: VideoFailures,
    private readonly storage: Storage,
    private readonly metrics: WorkerMetrics,
    config: ConfigService,
  ) {
    this.infra = config.getOrThrow<WorkerConfig>('worker').infraRetry;
  }

  /** `token` is the job's lock token (BullMQ's second argument to process): without it an outage cannot be waited out. */
  async run<T>(
    job: StageJob,
    queue: Pick<Queue, 'rateLimit'>,
    label: string,
    videoId: string,
    stage: () => Promise<T>,
    token?: string,
  ): Promise<T | SkippedResult> {
    const stageLabel = stageName(job.queueName);
    const started = performance.now();
    try {
      const result = await stage();
      // A delete that landed while the last step wrote its files: leave nothing behind.
      await this.live.ensureLive(videoId);
      this.metrics.stageDuration.observe({ stage: stageLabel }, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      if (error instanceof VideoGone || (await this.isGone(videoId))) {
        await this.storage.deletePrefix(videoKeys.prefix(videoId));
        this.logger.log(`${job.queueName} job ${job.id}: video ${videoId} was deleted or cancelled; nothing more to do`);
        return { skipped: true, reason: 'video deleted' };
      }
      this.metrics.stageFailures.inc({ stage: stageLabel, cause: failureCause(error) });
      if (error instanceof ProviderError && error.kind === 'rate_limited') {
        const wait = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS;
        this.logger.warn(`${job.queueName}: ${error.message}; pausing the queue for ${wait} ms`);
        await queue.rateLimit(wait);
        throw new RateLimitError();
      }
      if (token && isInfraError(error)) await this.waitOutInfra(job, token, error);
      const permanent =
        (error instanceof ProviderError && error.kind === 'permanent') || error instanceof DeckValidationError || error instanceof UnrecoverableError;
      const attempts = job.opts.attempts ?? 1;
      const final = permanent || job.attemptsMade + 1 >= attempts;
      const cause = error instanceof Error ? error.message : String(error);
      const message = `${label} failed${!permanent && attempts > 1 && final ? ` after ${attempts} attempts` : ''}: ${cause}`;
      // Written now when the database answers; FailedJobsListener writes it (again, harmlessly) once BullMQ has failed the job.
      if (final) await this.failures.record(videoId, message);
      else this.logger.warn(`${job.queueName} job ${job.id} attempt ${job.attemptsMade + 1}/${attempts}: ${cause}`);
      throw permanent ? new UnrecoverableError(message) : new Error(message, { cause: error });
    }
  }

  /**
   * Moves the job back to delayed, without spending an attempt, and throws BullMQ's
   * DelayedError; returns (so the failure counts as usual) once the outage has
   * lasted INFRA_RETRY_MAX_SECONDS, or when Redis itself cannot take the move.
   */
  private async waitOutInfra(job: StageJob, token: string, error: unknown): Promise<void> {
    const now = Date.now();
    const since = job.data.infraRetry?.since ?? now;
    const count = (job.data.infraRetry?.count ?? 0) + 1;
    const cause = error instanceof Error ? error.message : String(error);
    if (now - since >= this.infra.maxSeconds * 1000) {
      this.logger.warn(
        `${job.queueName} job ${job.id}: infrastructure still unavailable after ${Math.round((now - since) / 1000)} s (${cause}); counting it as a failed attempt`,
      );
      return;
    }
    const wait = infraBackoffMs(count, this.infra.baseMs, this.infra.capMs);
    try {
      await job.updateData({ ...job.data, infraRetry: { since, count } });
      await job.moveToDelayed(now + wait, token);
    } catch (e) {
      this.logger.warn(`${job.queueName} job ${job.id}: could not delay it (${(e as Error).message}); failing the attempt`);
      return;
    }
    this.logger.warn(`${job.queueName} job ${job.id}: infrastructure unavailable (${cause}); trying again in ${wait} ms (no attempt spent)`);
    throw new DelayedError();
  }

  private async isGone(videoId: string): Promise<boolean> {
    try {
      await this.live.ensureLive(videoId);
      return false;
    } catch (e) {
      return e instanceof VideoGone;
    }
  }
}
