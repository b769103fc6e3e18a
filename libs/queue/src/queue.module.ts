import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@malipo/common';
import { QueueErrorLogging } from './queue-error-logging';
import { QUEUES } from './queue-names';
import { redisConnectionOptions } from './redis.module';
import { queueTelemetry } from './queue-telemetry';

/** BullMQ wiring shared by api (producers) and worker (consumers). */
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      // Workers start from the worker app's WorkerRegistration, once AppConfig is injected.
      extraOptions: { manualRegistration: true },
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: `${config.REDIS_PREFIX}:bull`,
        // Workers block on Redis; BullMQ requires unlimited retries for their connections.
        connection: { ...redisConnectionOptions(config), maxRetriesPerRequest: null },
        // Producers and workers both: a job carries its trace context across the hop.
        telemetry: queueTelemetry(),
        defaultJobOptions: {
          removeOnComplete: { age: 86_400, count: 10_000 },
          removeOnFail: false,
        },
      }),
    }),
    ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
  ],
  providers: [QueueErrorLogging],
  exports: [BullModule],
})
export class QueueModule {}
