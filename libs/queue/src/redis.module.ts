import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import Redis from 'ioredis';

/** Shared ioredis client for locks, caches and counters (BullMQ keeps its own connections). */
export const REDIS = Symbol('REDIS');

export function redisConnectionOptions(config: AppConfig) {
  const url = new URL(config.REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Redis({
          ...redisConnectionOptions(config),
          keyPrefix: `${config.REDIS_PREFIX}:`,
          // Fail fast while Redis is away instead of queueing commands behind a dead socket;
          // callers that can live without Redis (the callback endpoint) rely on that.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
