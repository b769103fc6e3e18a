import { type AppConfig } from '@malipo/common';
import { redisConnectionOptions } from '@malipo/queue';
import Redis from 'ioredis';

/**
 * A dedicated connection for socket.io traffic. No keyPrefix: pub/sub channels are not keys, so
 * the prefix is put into the channel name instead (socketIoRedisKey).
 */
export function realtimeRedis(
  config: AppConfig,
  name: string,
  opts: { maxRetriesPerRequest?: number } = {},
): Redis {
  return new Redis({
    ...redisConnectionOptions(config),
    connectionName: `${config.REDIS_PREFIX}:${name}`,
    maxRetriesPerRequest: opts.maxRetriesPerRequest ?? 1,
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}
