import { Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@malipo/queue';
import { DarajaClient } from './daraja.client';
import type { DarajaLogger } from './daraja.types';

function nestLogger(): DarajaLogger {
  const logger = new Logger(DarajaClient.name);
  return {
    debug: (message, meta) => logger.debug(meta ?? {}, message),
    warn: (message, meta) => logger.warn(meta ?? {}, message),
  };
}

/** Provides DarajaClient over the global REDIS connection (its key prefix namespaces the cache). */
@Module({
  providers: [
    {
      provide: DarajaClient,
      inject: [REDIS],
      useFactory: (redis: Redis) => new DarajaClient({ redis, logger: nestLogger() }),
    },
  ],
  exports: [DarajaClient],
})
export class DarajaModule {}
