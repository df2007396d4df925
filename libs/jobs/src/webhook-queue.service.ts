import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { JobState, Queue } from 'bullmq';
import type { RedisConfig } from '@app/config';
import { jobIds } from './job-options.js';
import { pipelineJobs, toBullJob } from './pipeline-job.js';
import { QueueName } from './queue-name.enum.js';

const LIVE: ReadonlySet<JobState | 'unknown'> = new Set<JobState>(['waiting', 'prioritized', 'delayed', 'active']);

/**
 * The one place webhook delivery jobs are added (by the worker's outbox relay, from rows
 * of webhook_deliveries) and checked for (by its sweep). Job ids come from the delivery,
 * so adding a delivery that already has a job adds nothing.
 */
@Injectable()
export class WebhookQueue implements OnModuleInit {
  private readonly logger = new Logger(WebhookQueue.name);
  private readonly backoffMs: number;

  constructor(
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    config: ConfigService,
  ) {
    this.backoffMs = config.getOrThrow<RedisConfig>('redis').jobBackoffMs;
  }

  onModuleInit(): void {
    // Redis being away is reported once by PipelineService (same server); without a
    // listener BullMQ would print a stack for every reconnect of this queue too.
    this.queue.on('error', (e: Error) => this.logger.debug(`webhooks queue: ${e.message}`));
  }

  /** One job per delivery, waiting `delayMs` first (an attempt not yet due). */
  async add(deliveries: { id: string; delayMs: number }[]): Promise<void> {
    if (!deliveries.length) return;
    await this.queue.addBulk(
      deliveries.map(({ id, delayMs }) => {
        const job = toBullJob(pipelineJobs.deliverWebhook(id), this.backoffMs);
        return { name: job.name, data: job.data, opts: { ...job.opts, delay: delayMs } };
      }),
    );
  }

  /**
   * Of these deliveries, those whose job is not waiting, delayed or running: Redis lost it,
   * or BullMQ failed it for good (our own outage outlasted its attempts). Their finished
   * jobs are removed, so that adding them again is not ignored.
   */
  async withoutLiveJob(deliveryIds: string[]): Promise<string[]> {
    const lost: string[] = [];
    for (const id of deliveryIds) {
      const jobId = jobIds.webhook(id);
      const state = await this.queue.getJobState(jobId);
      if (LIVE.has(state)) continue;
      if (state !== 'unknown') await this.queue.remove(jobId);
      lost.push(id);
    }
    return lost;
  }
}
