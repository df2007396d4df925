import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { RedisConfig } from '@app/config';
import { createRedisClient, type RedisClient, whenReady } from './redis-connection.js';

// The api's publisher has no offline queue: a first publish must wait for the connection, briefly.
const PUBLISHER_READY_MS = 2000;

/**
 * Tells every worker process that a video was deleted, so whoever is running
 * one of its jobs aborts it (ffmpeg killed, provider call cancelled) at once.
 * Pub/sub is fire-and-forget; workers also re-check the database between
 * steps, so a worker that missed the message still stops at the next step.
 */
export class CancellationBus implements OnModuleDestroy {
  private readonly logger = new Logger(CancellationBus.name);
  private publisher?: RedisClient;
  private subscriber?: RedisClient;

  /** `redis` picks the topology (server, Sentinel or Cluster); in a cluster PUBLISH reaches subscribers on every node. */
  constructor(
    private readonly redis: Pick<RedisConfig, 'url' | 'topology'>,
    private readonly channel: string,
  ) {}

  async publish(videoId: string): Promise<void> {
    if (!this.publisher) {
      this.publisher = createRedisClient(this.redis, 'producer', { connectionName: 'blinked-cancel-pub' });
      // Failures reach the caller through publish(); the reconnect attempts need no log of their own.
      this.publisher.on('error', (e: Error) => this.logger.debug(`cancellation publisher: ${e.message}`));
    }
    await whenReady(this.publisher, PUBLISHER_READY_MS);
    await this.publisher.publish(this.channel, videoId);
  }

  async subscribe(onCancel: (videoId: string) => void): Promise<void> {
    this.subscriber = createRedisClient(this.redis, 'worker', { connectionName: 'blinked-cancel-sub' });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) onCancel(message);
    });
    this.subscriber.on('error', (e: Error) => this.logger.warn(`cancellation channel: ${e.message}`));
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.publisher?.quit(), this.subscriber?.quit()]);
  }
}
