import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { logRedisErrors } from './redis.module';

/**
 * Every BullMQ queue and worker of the app gets an 'error' listener: without one BullMQ writes
 * each connection error to stderr as a raw stack trace, many a second while Redis is away.
 */
@Injectable()
export class QueueErrorLogging implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue) logRedisErrors(instance, 'BullQueueRedis');
      // A processor's worker exists once @nestjs/bullmq has explored the module (onModuleInit).
      if (instance instanceof WorkerHost) logRedisErrors(instance.worker, 'BullWorkerRedis');
    }
  }
}
