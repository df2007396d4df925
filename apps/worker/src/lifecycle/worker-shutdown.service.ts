import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WorkerConfig } from '@app/config';
import { ProcessorRegistry } from '../processors/processor-registry.js';

/** After the grace, how long the forced close may take before the process just exits (a platform's stop timeout must cover grace + this). */
export const FORCE_CLOSE_MS = 3000;

/**
 * On SIGTERM the BullMQ workers close first, before Nest closes the queues, the flow
 * producer and the database their running jobs still use (a job that lost them
 * mid-way failed with "Connection is closed" and spent an attempt). Running jobs get
 * WORKER_SHUTDOWN_GRACE_MS to finish; after that (Redis down, a job that does not
 * end) the workers are force-closed and the process exits 1: their jobs' locks
 * expire and another worker takes them over, without spending an attempt.
 */
@Injectable()
export class WorkerShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly graceMs: number;
  private grace?: NodeJS.Timeout;
  private readonly arm = () => {
    if (this.grace) return;
    this.grace = setTimeout(() => void this.force(), this.graceMs);
    this.grace.unref();
  };

  constructor(
    private readonly processors: ProcessorRegistry,
    config: ConfigService,
  ) {
    this.graceMs = config.getOrThrow<WorkerConfig>('worker').shutdownGraceMs;
  }

  onApplicationBootstrap(): void {
    // The grace runs from the signal itself: earlier shutdown hooks (a Redis client's quit
    // while Redis is down) can wait forever too, before ours is reached.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, this.arm);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.arm();
    await Promise.allSettled(this.processors.all().map((p) => p.worker.close()));
  }

  onApplicationShutdown(): void {
    // The grace stays armed (unref'd, it holds nothing open): the hooks still to come can hang too.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.off(signal, this.arm);
  }

  private async force(): Promise<void> {
    this.logger.error(`running jobs did not finish within WORKER_SHUTDOWN_GRACE_MS (${this.graceMs} ms); forcing the queues closed and exiting`);
    const closing = Promise.allSettled(this.processors.all().map((p) => p.worker.close(true)));
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, FORCE_CLOSE_MS).unref())]);
    process.exit(1);
  }
}
