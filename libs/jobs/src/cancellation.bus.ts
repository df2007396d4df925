import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { redisOptions } from './redis-connection.js';

/**
 * Tells every worker process that a video was deleted, so whoever is running
 * one of its jobs aborts it (ffmpeg killed, provider call cancelled) at once.
 * Pub/sub is fire-and-forget; workers also re-check the database between
 * steps, so a worker that missed the message still stops at the next step.
 */
export class CancellationBus implements OnModuleDestroy {
  private readonly logger = new Logger(CancellationBus.name);
  private publisher?: Redis;
  private subscriber?: Redis;

  constructor(
    private readonly redisUrl: string,
    private readonly channel: string,
  ) {}

  async publish(videoId: string): Promise<void> {
    this.publisher ??= new Redis(redisOptions(this.redisUrl, 'producer'));
    await this.publisher.publish(this.channel, videoId);
  }

  async subscribe(onCancel: (videoId: string) => void): Promise<void> {
    this.subscriber = new Redis(redisOptions(this.redisUrl, 'worker'));
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
