import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FlowProducer, Queue } from 'bullmq';
import type { RedisConfig } from '@app/config';
import { CancellationBus } from './cancellation.bus.js';
import { jobIds, jobOptions } from './job-options.js';
import { JobName, QueueName } from './queue-name.enum.js';

export const PIPELINE_FLOW = 'pipeline';

/** The one place that adds, links and removes a video's jobs. */
@Injectable()
export class PipelineService {
  private readonly logger = new Logger(PipelineService.name);
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

  /** First stage: write and render the deck. */
  async start(videoId: string): Promise<void> {
    await this.slides.add(JobName.WriteDeck, { videoId }, jobOptions(QueueName.Slides, jobIds.slides(videoId), this.backoffMs));
  }

  /**
   * Second and third stages as one flow: a voice job per slide under a stitch
   * parent that runs once every child has finished. Idempotent: a retried
   * slides job finds the flow already there and adds nothing.
   */
  async voiceThenStitch(videoId: string, slideNumbers: number[]): Promise<void> {
    if (await this.stitch.getJob(jobIds.stitch(videoId))) return;
    await this.flows.add({
      name: JobName.StitchVideo,
      queueName: QueueName.Stitch,
      data: { videoId },
      opts: jobOptions(QueueName.Stitch, jobIds.stitch(videoId), this.backoffMs),
      children: slideNumbers.map((slideNumber) => ({
        name: JobName.VoiceSlide,
        queueName: QueueName.Voice,
        data: { videoId, slideNumber },
        opts: jobOptions(QueueName.Voice, jobIds.voice(videoId, slideNumber), this.backoffMs),
      })),
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
}
