import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { QUEUES } from './queue-names';
import { redisConnectionOptions } from './redis.module';

/** BullMQ wiring shared by api (producers) and worker (consumers). */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: `${config.REDIS_PREFIX}:bull`,
        // Workers block on Redis; BullMQ requires unlimited retries for their connections.
        connection: { ...redisConnectionOptions(config), maxRetriesPerRequest: null },
        defaultJobOptions: {
          removeOnComplete: { age: 86_400, count: 10_000 },
          removeOnFail: false,
        },
      }),
    }),
    ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
  ],
  exports: [BullModule],
})
export class QueueModule {}
