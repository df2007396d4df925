import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CancellationBus } from '@app/jobs';
import { ProcessorRegistry } from '../processors/processor-registry.js';

/**
 * Listens for "video deleted or cancelled" and aborts that video's jobs running in this
 * process: their AbortSignal fires, ffmpeg is killed, provider calls cancelled.
 */
@Injectable()
export class JobCancellation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobCancellation.name);

  constructor(
    private readonly bus: CancellationBus,
    private readonly processors: ProcessorRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe((videoId) => this.cancel(videoId));
  }

  beforeApplicationShutdown(signal?: string): void {
    // BullMQ's workers close next: they take no new job and wait for the running ones.
    this.logger.log(`stopping${signal ? ` on ${signal}` : ''}: finishing running jobs, taking no new ones`);
  }

  cancel(videoId: string): void {
    const hits = this.processors.all().reduce((sum, p) => sum + p.cancelVideo(videoId, 'video deleted or cancelled'), 0);
    if (hits) this.logger.log(`video ${videoId} deleted or cancelled: aborted ${hits} running job(s)`);
  }
}
