import { Injectable, Logger } from '@nestjs/common';
import { type Job, type Queue, RateLimitError, UnrecoverableError } from 'bullmq';
import { DeckValidationError, ProviderError } from '@app/ai';
import type { SkippedResult } from '@app/jobs';
import { VideoRepository } from '@app/db';
import { Storage, videoKeys } from '@app/storage';
import { VideoGone } from './video-gone.error.js';
import { LiveVideo } from './live-video.service.js';

/** When a provider says "slow down" without saying for how long. */
const DEFAULT_RATE_LIMIT_MS = 30_000;

/**
 * Runs one stage for a processor and turns its outcome into what BullMQ needs:
 * - the video is gone (deleted, or cancelled) → the job completes as skipped and the
 *   files under its folder are removed; a cancelled video keeps its rows, and a retry
 *   re-renders its slide images from them and takes its narration from the
 *   content-addressed cache (blobs/, outside the folder), so no provider is called again;
 * - a provider's 429 → the queue is rate-limited and the job waits, not failing;
 * - a permanent failure → UnrecoverableError, the video fails at once;
 * - anything else → a plain throw, retried with backoff; on the last attempt the
 *   video fails with a message naming the stage and the cause.
 * Failures are always re-thrown to BullMQ, never swallowed.
 */
@Injectable()
export class StageRunner {
  private readonly logger = new Logger(StageRunner.name);

  constructor(
    private readonly live: LiveVideo,
    private readonly videos: VideoRepository,
    private readonly storage: Storage,
  ) {}

  async run<T>(job: Job, queue: Pick<Queue, 'rateLimit'>, label: string, videoId: string, stage: () => Promise<T>): Promise<T | SkippedResult> {
    try {
      const result = await stage();
      // A delete that landed while the last step wrote its files: leave nothing behind.
      await this.live.ensureLive(videoId);
      return result;
    } catch (error) {
      if (error instanceof VideoGone || (await this.isGone(videoId))) {
        await this.storage.deletePrefix(videoKeys.prefix(videoId));
        this.logger.log(`${job.queueName} job ${job.id}: video ${videoId} was deleted or cancelled; nothing more to do`);
        return { skipped: true, reason: 'video deleted' };
      }
      if (error instanceof ProviderError && error.kind === 'rate_limited') {
        const wait = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS;
        this.logger.warn(`${job.queueName}: ${error.message}; pausing the queue for ${wait} ms`);
        await queue.rateLimit(wait);
        throw new RateLimitError();
      }
      const permanent =
        (error instanceof ProviderError && error.kind === 'permanent') || error instanceof DeckValidationError || error instanceof UnrecoverableError;
      const attempts = job.opts.attempts ?? 1;
      const final = permanent || job.attemptsMade + 1 >= attempts;
      const cause = error instanceof Error ? error.message : String(error);
      const message = `${label} failed${!permanent && attempts > 1 && final ? ` after ${attempts} attempts` : ''}: ${cause}`;
      if (final) await this.videos.fail(videoId, message);
      else this.logger.warn(`${job.queueName} job ${job.id} attempt ${job.attemptsMade + 1}/${attempts}: ${cause}`);
      throw permanent ? new UnrecoverableError(message) : new Error(message, { cause: error });
    }
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
