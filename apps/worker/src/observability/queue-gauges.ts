import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { setTimeout as delay } from 'node:timers/promises';
import { ALL_QUEUES } from '@app/jobs';
import { MetricsRegistry } from '@app/observability';

/** The states a dashboard of the queues shows (waiting-children: a stitch waiting for its voices). */
const STATES = ['waiting', 'active', 'delayed', 'failed', 'waiting-children'] as const;
/** A scrape must not hang on a Redis that is away; past this the gauges are left out of it. */
const REDIS_ANSWER_MS = 2000;

/**
 * blinked_queue_jobs{queue,state}, read from Redis at each scrape for every queue of
 * ALL_QUEUES, so a queue added there is covered without touching this.
 */
@Injectable()
export class QueueGauges implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: MetricsRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    this.registry.gauge('queueJobs', async (gauge) => {
      gauge.reset();
      const counts = Promise.all(queues.map(async (queue) => [queue.name, await queue.getJobCounts(...STATES)] as const));
      counts.catch(() => undefined); // a late rejection after the timeout is not unhandled
      const timeout = delay(REDIS_ANSWER_MS, undefined, { ref: false });
      const answered = await Promise.race([counts, timeout]);
      // No answer: no series, rather than numbers from before Redis went away.
      for (const [queue, byState] of answered ?? []) {
        for (const state of STATES) gauge.set({ queue, state }, byState[state] ?? 0);
      }
    });
  }
}
