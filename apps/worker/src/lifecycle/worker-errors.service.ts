import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SlidesProcessor } from '../processors/slides.processor.js';
import { StitchProcessor } from '../processors/stitch.processor.js';
import { VoiceProcessor } from '../processors/voice.processor.js';

const LOG_EVERY_MS = 30_000;

/**
 * Connection errors of the BullMQ workers (Redis down, restarting): BullMQ keeps
 * reconnecting by itself; without a listener it prints a stack per attempt, this
 * says it in one line every 30 s.
 */
@Injectable()
export class WorkerErrors implements OnApplicationBootstrap {
  private readonly logger = new Logger('Redis');
  private last = 0;

  constructor(
    private readonly slides: SlidesProcessor,
    private readonly voice: VoiceProcessor,
    private readonly stitch: StitchProcessor,
  ) {}

  onApplicationBootstrap(): void {
    for (const processor of [this.slides, this.voice, this.stitch]) {
      processor.worker.on('error', (e: Error) => {
        if (Date.now() - this.last < LOG_EVERY_MS) return;
        this.last = Date.now();
        this.logger.error(`${processor.worker.name} worker: ${e.message} (retrying)`);
      });
    }
  }
}
