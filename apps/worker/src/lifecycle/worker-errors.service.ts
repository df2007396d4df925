import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ProcessorRegistry } from '../processors/processor-registry.js';

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

  constructor(private readonly processors: ProcessorRegistry) {}

  onApplicationBootstrap(): void {
    for (const processor of this.processors.all()) {
      processor.worker.on('error', (e: Error) => {
        if (Date.now() - this.last < LOG_EVERY_MS) return;
        this.last = Date.now();
        this.logger.error(`${processor.worker.name} worker: ${e.message} (retrying)`);
      });
    }
  }
}
