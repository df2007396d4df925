import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisConfig, ReconcileConfig, WorkerConfig } from '@app/config';
import { SlideRepository, type StaleVideo, VideoRepository, VideoStatus } from '@app/db';
import { bullPrefix, PipelineService, type RestartFrom } from '@app/jobs';
import { WorkerMetrics } from '@app/observability';
import { failureMessage } from './failed-jobs.listener.js';
import { ReconcileLock } from './reconcile-lock.js';
import { VideoFailures } from './video-failures.service.js';

/** Videos looked at per pass; more wait for the next one, longest unchanged first. */
const BATCH = 200;
/** The longest one pass may hold the lock before another worker may start one. */
const MIN_LOCK_MS = 60_000;
const ERROR_LOG_EVERY_MS = 30_000;
/** How long shutdown waits for a pass in progress. */
const SHUTDOWN_WAIT_MS = 5000;

export interface ReconcileReport {
  /** False when another worker held the lock: this worker did nothing. */
  ran: boolean;
  restarted: string[];
  failed: string[];
  /** Unchanged videos left alone because a job of theirs is still waiting or running. */
  live: string[];
  /** Working videos whose jobs BullMQ had failed for good: failed with that job's reason. */
  failedJobs: string[];
}

export function gaveUpMessage(losses: number): string {
  return `the job queue lost this video's jobs ${losses === 1 ? 'once' : `${losses} times`}; giving up`;
}

/**
 * Redis run without persistence can restart empty, and every video whose jobs were
 * in it would stay "working" forever. Every RECONCILE_INTERVAL_SECONDS one worker
 * looks for working videos unchanged for RECONCILE_STALE_SECONDS with no live job
 * (by the ids BullMQ would use) and re-enqueues them from their current stage, at
 * most RECONCILE_MAX_RESTARTS times; then the video fails saying why.
 *
 * One worker at a time by a Redis lock with an expiry, not a BullMQ repeatable job:
 * a job scheduler lives in Redis too, so the very loss this repairs would delete the
 * schedule, and nothing would run again until a worker restarted. A timer in every
 * worker plus the lock survives it (the lost lock key just means the next pass takes
 * it afresh). The database update that counts a restart is conditional as well, so
 * even a pass that outlived its lock cannot restart a video twice.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private readonly settings: ReconcileConfig;
  private readonly lock: ReconcileLock;
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private lastErrorLog = 0;

  constructor(
    private readonly videos: VideoRepository,
    private readonly slides: SlideRepository,
    private readonly pipeline: PipelineService,
    private readonly failures: VideoFailures,
    private readonly metrics: WorkerMetrics,
    config: ConfigService,
  ) {
    this.settings = config.getOrThrow<WorkerConfig>('worker').reconcile;
    const redis = config.getOrThrow<RedisConfig>('redis');
    this.lock = new ReconcileLock(redis, `${bullPrefix(redis)}:reconciler:lock`);
  }

  onApplicationBootstrap(): void {
    // Failures that a dead (or shut down) worker could not write: found at once, not a pass later.
    this.current = this.sweepFailed({ ran: true, restarted: [], failed: [], live: [], failedJobs: [] }).catch((e: Error) => this.logError(e));
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops the timer, waits (briefly) for a pass in progress and closes the lock's connection. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const wait = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref());
    await Promise.race([this.current?.catch(() => undefined), wait]);
    await this.lock.close();
  }

  /** One pass, unless another worker holds the lock. */
  async pass(): Promise<ReconcileReport> {
    const report: ReconcileReport = { ran: false, restarted: [], failed: [], live: [], failedJobs: [] };
    const started = Date.now();
    const intervalMs = this.settings.intervalSeconds * 1000;
    const token = await this.lock.tryAcquire(Math.max(intervalMs, MIN_LOCK_MS));
    if (!token) return report;
    report.ran = true;
    try {
      await this.sweepFailed(report);
      for (const video of await this.videos.findStale(this.settings.staleSeconds, BATCH)) {
        await this.reconcile(video, report).catch((e: Error) => this.logger.warn(`video ${video.id}: could not re-enqueue: ${e.message}`));
      }
    } finally {
      // Kept until the next interval, so the other workers skip this round.
      await this.lock.holdFor(token, started + intervalMs - Date.now());
    }
    return report;
  }

  /**
   * Working videos (changed or not) whose jobs BullMQ has all finished, one of them
   * failed: the failure was never written (the database was down then, or the worker
   * died first). Written now, from the failed job's reason; never re-enqueued.
   */
  async sweepFailed(report: ReconcileReport): Promise<void> {
    for (const video of await this.videos.findStale(0, BATCH)) {
      const [job] = await this.pipeline.failedJobs(video.id, video.slideCount);
      if (!job) continue;
      await this.failures.record(video.id, failureMessage(job));
      report.failedJobs.push(video.id);
      this.logger.warn(`video ${video.id}: its ${job.queueName} job had failed (${job.failedReason}); video marked failed`);
    }
  }

  private async reconcile(video: StaleVideo, report: ReconcileReport): Promise<void> {
    if ((await this.pipeline.liveJobs(video.id, video.slideCount)).length) {
      report.live.push(video.id);
      return;
    }
    const { staleSeconds, maxRestarts } = this.settings;
    if (video.restarts >= maxRestarts) {
      const message = gaveUpMessage(video.restarts + 1);
      if (await this.videos.failStale(video.id, video.status, staleSeconds, message)) {
        this.metrics.videoFinished('failed');
        report.failed.push(video.id);
        this.logger.warn(`video ${video.id}: ${message}`);
      }
      return;
    }
    const restart = await this.videos.claimRestart(video.id, video.status, staleSeconds, maxRestarts);
    if (restart === undefined) return; // it moved on meanwhile
    const from = await this.restartPoint(video);
    await this.pipeline.restart(video.id, video.slideCount, from);
    report.restarted.push(video.id);
    this.logger.warn(
      `video ${video.id}: ${video.status} with no job in the queue for ${staleSeconds} s; ` +
        `re-enqueued from the ${from.stage} stage (restart ${restart} of ${maxRestarts})`,
    );
  }

  /** Stages skip stored work, so starting from the stage the video is in loses nothing and repeats nothing. */
  private async restartPoint(video: StaleVideo): Promise<RestartFrom> {
    if (video.status === VideoStatus.GeneratingVoice || video.status === VideoStatus.Rendering) {
      const slides = await this.slides.listForPrompt(video.promptId);
      // Voicing starts only once the deck is stored; without one, the deck is written again.
      if (slides.length) return { stage: 'voice', slideNumbers: slides.map((s) => s.slideNumber) };
    }
    return { stage: 'slides' };
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.current = this.pass()
        .catch((e: Error) => this.logError(e))
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, this.settings.intervalSeconds * 1000);
  }

  private logError(e: Error): void {
    if (Date.now() - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = Date.now();
    this.logger.error(`pass skipped: ${e.message} (trying again in ${this.settings.intervalSeconds} s)`);
  }
}
