import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
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

/** How often a Redis outage is logged per kind of connection; they reconnect many times a second. */
const ERROR_LOG_EVERY_MS = 10_000;
const lastLoggedAt = new Map<string, number>();

/**
 * ioredis (and BullMQ, for its queues and workers) print every error of a connection without a
 * listener to stderr: raw multi-line stack traces, several a second during an outage. Listen,
 * and log one line per kind of connection per interval instead.
 */
export function logRedisErrors<
  T extends { on(event: 'error', listener: (err: Error) => void): unknown },
>(emitter: T, kind: string): T {
  const logger = new Logger(kind);
  emitter.on('error', (err: Error) => {
    const now = Date.now();
    if (now - (lastLoggedAt.get(kind) ?? 0) < ERROR_LOG_EVERY_MS) return;
    lastLoggedAt.set(kind, now);
    logger.warn({ err: err.message }, 'Redis connection error (repeats muted for 10 s)');
  });
  return emitter;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        logRedisErrors(
          new Redis({
            ...redisConnectionOptions(config),
            keyPrefix: `${config.REDIS_PREFIX}:`,
            // Fail fast while Redis is away instead of queueing commands behind a dead socket;
            // callers that can live without Redis (the callback endpoint) rely on that.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            lazyConnect: false,
          }),
          'Redis',
        ),
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
