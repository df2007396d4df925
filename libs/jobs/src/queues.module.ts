import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type RedisConfig } from '@app/config';
import { ALL_QUEUES } from './queue-name.enum.js';
import { redisOptions } from './redis-connection.js';

/**
 * The BullMQ connection and the three queues, for either app. The role picks
 * the Redis behaviour (see redisOptions) and whether a flow producer is needed.
 */
@Module({})
export class QueuesModule {
  static forRoot(role: 'worker' | 'producer') {
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    const flows = BullModule.registerFlowProducer({ name: 'pipeline' });
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const redis = config.getOrThrow<RedisConfig>('redis');
            return { connection: redisOptions(redis.url, role), prefix: redis.queuePrefix };
          },
        }),
        queues,
        flows,
      ],
      exports: [queues, flows],
    };
  }
}
