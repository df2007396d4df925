import { InjectFlowProducer, InjectQueue, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { FlowProducer, Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { PIPELINE_FLOW } from './pipeline.service.js';
import { QueueName } from './queue-name.enum.js';

/**
 * In a Redis Cluster, BullMQ shares the one Cluster instance it was given
 * (bullConnection) among every queue, worker and flow producer, and never
 * closes it. It is closed here, but only after all of them: Nest runs this
 * module's shutdown hook before @nestjs/bullmq's, and a worker still finishing
 * a job needs the connection to record the result. Their close() is idempotent,
 * so @nestjs/bullmq closing them again afterwards is harmless.
 */
@Injectable()
export class ClusterConnectionCloser implements OnApplicationShutdown {
  constructor(
    @InjectQueue(QueueName.Slides) private readonly slides: Queue,
    @InjectQueue(QueueName.Voice) private readonly voice: Queue,
    @InjectQueue(QueueName.Stitch) private readonly stitch: Queue,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
    @InjectFlowProducer(PIPELINE_FLOW) private readonly flows: FlowProducer,
    private readonly discovery: DiscoveryService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const cluster = this.slides.opts.connection;
    if (!(cluster instanceof Cluster)) return; // a server or Sentinel: BullMQ owns and closes its connections
    const workers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .flatMap((host) => {
        try {
          return [host.worker];
        } catch {
          return []; // never started
        }
      });
    await Promise.allSettled(workers.map((w) => w.close()));
    await Promise.allSettled([this.slides, this.voice, this.stitch, this.webhooks, this.flows].map((q) => q.close()));
    await cluster.quit().catch(() => cluster.disconnect());
  }
}
