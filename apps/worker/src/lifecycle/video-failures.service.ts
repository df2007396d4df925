import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { VideoRepository } from '@app/db';
import { WorkerMetrics } from '@app/observability';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * Marks videos failed, and keeps trying in the background when the database
 * cannot take the write (the outage that failed the job may still be on): a
 * failed job must never leave its video "working" forever. The write is
 * conditional (terminal videos are left alone), so writing twice is harmless.
 * What is still pending at shutdown is left to the failed-jobs sweep of the
 * next worker to start (Reconciler), which finds the job in the failed set.
 */
@Injectable()
export class VideoFailures implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VideoFailures.name);
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly videos: VideoRepository,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** Fails the video now if the database answers, else later; never throws. */
  async record(videoId: string, message: string): Promise<void> {
    clearTimeout(this.pending.get(videoId));
    this.pending.delete(videoId);
    await this.attempt(videoId, message, 1);
  }

  /** Videos whose failure is not written yet. */
  get waiting(): number {
    return this.pending.size;
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    if (this.pending.size) this.logger.warn(`${this.pending.size} video failure(s) not yet written; the next worker's sweep writes them`);
    this.pending.clear();
  }

  private async attempt(videoId: string, message: string, n: number): Promise<void> {
    try {
      // Counted only by the write that failed it: the same failure is recorded more than once.
      if (await this.videos.fail(videoId, message)) this.metrics.videoFinished('failed');
      this.pending.delete(videoId);
      if (n > 1) this.logger.log(`video ${videoId}: failure recorded after ${n} tries`);
    } catch (e) {
      if (this.stopped) return;
      const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(n - 1, 10));
      if (n === 1) this.logger.warn(`video ${videoId}: could not record its failure (${(e as Error).message}); retrying in the background`);
      const timer = setTimeout(() => void this.attempt(videoId, message, n + 1), wait);
      timer.unref();
      this.pending.set(videoId, timer);
    }
  }
}
