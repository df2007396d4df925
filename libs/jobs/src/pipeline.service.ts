import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigService } from '@nestjs/config';
import type { FlowProducer, Job, JobState, Queue } from 'bullmq';
import type { RedisConfig } from '@app/config';
import { CancellationBus } from './cancellation.bus.js';
import { jobIds } from './job-options.js';
import { jobIdOf, jobsOfVideo, pipelineJobs, toBullJob } from './pipeline-job.js';
import type { VideoJob } from './job-payload.types.js';
import { QueueName } from './queue-name.enum.js';

export const PIPELINE_FLOW = 'pipeline';

/** States in which a job is still to run or running: the video's work is not lost. */
const LIVE_STATES: ReadonlySet<JobState | 'unknown'> = new Set<JobState>(['waiting', 'prioritized', 'delayed', 'active', 'waiting-children']);
const FINISHED_STATES: ReadonlySet<JobState | 'unknown'> = new Set<JobState>(['completed', 'failed']);

/** Where a lost video starts again: its deck (queued, generating_slides) or its voice/stitch flow. */
export type RestartFrom = { stage: 'slides' } | { stage: 'voice'; slideNumbers: number[] };

/** Redis did not answer in time: nothing was queued. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

// BullMQ waits for a Redis connection forever; a request must not. Past this, Redis counts as down.
const REDIS_ANSWER_MS = 2000;

/** The one place that adds, links and removes a video's jobs. */
@Injectable()
export class PipelineService implements OnModuleInit {
  private readonly logger = new Logger(PipelineService.name);
  private redisDown = false;
  private readonly backoffMs: number;

  constructor(
    @InjectQueue(QueueName.Slides) private readonly slides: Queue,
    @InjectQueue(QueueName.Voice) private readonly voice: Queue,
    @InjectQueue(QueueName.Stitch) private readonly stitch: Queue,
    @InjectFlowProducer(PIPELINE_FLOW) private readonly flows: FlowProducer,
    private readonly bus: CancellationBus,
    config: ConfigService,
  ) {
    this.backoffMs = config.getOrThrow<RedisConfig>('redis').jobBackoffMs;
  }

  onModuleInit(): void {
    // Without a listener BullMQ prints every failed reconnect with a stack. Instead: one
    // line when Redis goes away, one when it is back (every connection here shares its fate).
    const onError = (e: Error) => {
      if (this.redisDown) return;
      this.redisDown = true;
      this.logger.error(`Redis unreachable (${e.message}): work that needs the queue answers 503 until it is back`);
    };
    for (const queue of [this.slides, this.voice, this.stitch]) queue.on('error', onError);
    this.flows.on('error', onError);
  }

  /** First stage: write and render the deck. Fails fast with QueueUnavailableError when Redis is down. */
  async start(videoId: string): Promise<void> {
    const job = toBullJob(pipelineJobs.writeDeck(videoId), this.backoffMs);
    await this.answer(this.slides.add(job.name, job.data, job.opts));
  }

  /** Readiness: Redis answers within a couple of seconds. */
  async ping(): Promise<boolean> {
    return this.answer(this.slides.getJobCounts('waiting')).then(
      () => true,
      () => false,
    );
  }

  private async answer<T>(operation: Promise<T>): Promise<T> {
    operation.catch(() => undefined); // a late rejection after the timeout is not unhandled
    // Unref'd: once Redis has answered, the spent timer must not hold the process open.
    const timeout = delay(REDIS_ANSWER_MS, undefined, { ref: false }).then(() => {
      throw new QueueUnavailableError(`Redis did not answer within ${REDIS_ANSWER_MS} ms`);
    });
    const result = await Promise.race([operation, timeout]);
    // The first operation that gets through says Redis is back (readiness probes ask often).
    if (this.redisDown) {
      this.redisDown = false;
      this.logger.log('Redis is back');
    }
    return result;
  }

  /**
   * Second and third stages as one flow: a voice job per slide under a stitch
   * parent that runs once every child has finished. Idempotent: a retried
   * slides job finds the flow already there and adds nothing.
   */
  async voiceThenStitch(videoId: string, slideNumbers: number[]): Promise<void> {
    if (await this.stitch.getJob(jobIds.stitch(videoId))) return;
    await this.flows.add({
      ...toBullJob(pipelineJobs.stitchVideo(videoId), this.backoffMs),
      children: slideNumbers.map((n) => toBullJob(pipelineJobs.voiceSlide(videoId, n), this.backoffMs)),
    });
  }

  /**
   * Stops a video's work: running jobs are aborted through the cancellation
   * channel, waiting ones removed. Jobs that are mid-run cannot be removed (they
   * are locked); they end on their own once aborted.
   */
  async cancel(videoId: string, slideCount: number): Promise<void> {
    await this.bus.publish(videoId).catch((e: Error) => this.logger.warn(`could not publish cancel for ${videoId}: ${e.message}`));
    const removals: [Queue, string][] = [
      [this.slides, jobIds.slides(videoId)],
      [this.stitch, jobIds.stitch(videoId)],
      ...Array.from({ length: slideCount }, (_, i): [Queue, string] => [this.voice, jobIds.voice(videoId, i + 1)]),
    ];
    await Promise.all(
      removals.map(([queue, id]) =>
        queue.remove(id, { removeChildren: true }).catch((e: Error) => this.logger.debug(`job ${id} not removed: ${e.message}`)),
      ),
    );
  }

  /** The ids of the video's jobs that are waiting, delayed, running or waiting for their children. */
  async liveJobs(videoId: string, slideCount: number): Promise<string[]> {
    const states = await this.statesOf(videoId, slideCount);
    return states.filter(([, , state]) => LIVE_STATES.has(state)).map(([, id]) => id);
  }

  /**
   * The video's jobs that BullMQ failed for good (attempts spent, stalled out), when
   * none of its jobs is live any more: its video must fail, not wait or be restarted.
   */
  async failedJobs(videoId: string, slideCount: number): Promise<Job[]> {
    const states = await this.statesOf(videoId, slideCount);
    if (states.some(([, , state]) => LIVE_STATES.has(state))) return [];
    const failed = await Promise.all(states.filter(([, , state]) => state === 'failed').map(([queue, id]) => queue.getJob(id)));
    return failed.filter((job): job is Job => job !== undefined);
  }

  /**
   * Adds a video's work again after Redis lost it (the reconciler calls this only when
   * no job of the video is live). Jobs kept as completed or failed under the same ids
   * are removed first: BullMQ ignores an add whose id it still holds, so a kept
   * finished job would silently block the restart.
   */
  async restart(videoId: string, slideCount: number, from: RestartFrom): Promise<void> {
    for (const [queue, id, state] of await this.statesOf(videoId, slideCount)) {
      if (FINISHED_STATES.has(state)) await queue.remove(id, { removeChildren: true });
    }
    if (from.stage === 'slides') await this.start(videoId);
    else await this.voiceThenStitch(videoId, from.slideNumbers);
  }

  /** liveJobs within the api's time limit: a retry must not start while the cancelled jobs still run. */
  busyJobs(videoId: string, slideCount: number): Promise<string[]> {
    return this.answer(this.liveJobs(videoId, slideCount));
  }

  /** A user's retry: restart() within the api's time limit (QueueUnavailableError when Redis does not answer). */
  resume(videoId: string, slideCount: number, from: RestartFrom): Promise<void> {
    return this.answer(this.restart(videoId, slideCount, from));
  }

  private async statesOf(videoId: string, slideCount: number): Promise<[Queue, string, JobState | 'unknown'][]> {
    return Promise.all(
      jobsOfVideo(videoId, slideCount).map(async (job): Promise<[Queue, string, JobState | 'unknown']> => {
        const queue = this.queueOf(job.queue);
        const id = jobIdOf(job);
        return [queue, id, await queue.getJobState(id)];
      }),
    );
  }

  private queueOf(name: VideoJob['queue']): Queue {
    switch (name) {
      case QueueName.Slides:
        return this.slides;
      case QueueName.Voice:
        return this.voice;
      case QueueName.Stitch:
        return this.stitch;
    }
  }
}
