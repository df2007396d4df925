import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { type RedisConfig } from '@app/config';
import { VideoChanges } from '@app/db';
import { CancellationBus } from './cancellation.bus.js';
import { PIPELINE_FLOW, PipelineService } from './pipeline.service.js';
import { ALL_QUEUES } from './queue-name.enum.js';
import { ClusterConnectionCloser } from './cluster-connection.closer.js';
import { bullConnection, bullPrefix } from './redis-connection.js';
import { WebhookQueue } from './webhook-queue.service.js';
import { VideoSnapshots } from './video-snapshots.service.js';

/**
 * The BullMQ connection and the queues of ALL_QUEUES, for either app. The role picks
 * the Redis behaviour (see RedisRole); the configured topology (one server,
 * Sentinel or Cluster) is honoured by redis-connection.ts, the one place that
 * opens Redis connections.
 */
@Module({})
export class QueuesModule {
  static forRoot(role: 'worker' | 'producer') {
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    // close() already ends the connection; the extra disconnect @nestjs/bullmq does by default
    // waits for a connection that never came when Redis is down, and shutdown hangs.
    const flows = BullModule.registerFlowProducer({ name: PIPELINE_FLOW, forceDisconnectOnShutdown: false });
    return {
      module: QueuesModule,
      global: true,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const redis = config.getOrThrow<RedisConfig>('redis');
            return { connection: bullConnection(redis, role), prefix: bullPrefix(redis) };
          },
        }),
        queues,
        flows,
      ],
      providers: [
        {
          provide: CancellationBus,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const redis = config.getOrThrow<RedisConfig>('redis');
            return new CancellationBus(redis, `${redis.queuePrefix}:cancel`);
          },
        },
        PipelineService,
        WebhookQueue,
        ClusterConnectionCloser,
        // VideoRepository (DbModule) tells the snapshots of every change it commits.
        VideoSnapshots,
        { provide: VideoChanges, useExisting: VideoSnapshots },
      ],
      exports: [queues, flows, CancellationBus, PipelineService, WebhookQueue, VideoSnapshots, VideoChanges],
    };
  }
}
