import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CancellationBus, jobIds } from '@app/jobs';
import { SlidesProcessor } from '../processors/slides.processor.js';
import { StitchProcessor } from '../processors/stitch.processor.js';
import { VoiceProcessor } from '../processors/voice.processor.js';

/** Most slides a deck can have (DECK_LIMITS.maxSlides), so every voice job id is covered. */
const MAX_SLIDES = 20;

/**
 * Listens for "video deleted" and aborts that video's jobs running in this
 * process: their AbortSignal fires, ffmpeg is killed, provider calls cancelled.
 */
@Injectable()
export class JobCancellation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobCancellation.name);

  constructor(
    private readonly bus: CancellationBus,
    private readonly slides: SlidesProcessor,
    private readonly voice: VoiceProcessor,
    private readonly stitch: StitchProcessor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe((videoId) => this.cancel(videoId));
  }

  beforeApplicationShutdown(signal?: string): void {
    // BullMQ's workers close next: they take no new job and wait for the running ones.
    this.logger.log(`stopping${signal ? ` on ${signal}` : ''}: finishing running jobs, taking no new ones`);
  }

  cancel(videoId: string): void {
    const hits = [
      this.slides.worker.cancelJob(jobIds.slides(videoId), 'video deleted'),
      this.stitch.worker.cancelJob(jobIds.stitch(videoId), 'video deleted'),
      ...Array.from({ length: MAX_SLIDES }, (_, i) => this.voice.worker.cancelJob(jobIds.voice(videoId, i + 1), 'video deleted')),
    ].filter(Boolean).length;
    if (hits) this.logger.log(`video ${videoId} deleted: aborted ${hits} running job(s)`);
  }
}
