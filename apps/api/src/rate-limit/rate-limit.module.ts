import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';
import { sendsPush } from './push-rate-limit.decorator';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const MINUTE_MS = 60_000;

function rateLimitOptions(config: AppConfig, redis: Redis): ThrottlerModuleOptions {
  const perKey = config.RATE_LIMIT_PER_MINUTE;
  const pushes = config.RATE_LIMIT_PAYMENTS_PER_MINUTE;
  return {
    storage: new RedisThrottlerStorage(redis),
    // A refused request waits for the window to end, no longer: a till that paused may sell again.
    throttlers: [
      { name: 'default', ttl: MINUTE_MS, limit: perKey, blockDuration: 0, skipIf: () => !perKey },
      {
        name: 'payments',
        ttl: MINUTE_MS,
        limit: pushes,
        blockDuration: 0,
        skipIf: (context) => !pushes || !sendsPush(context),
      },
    ],
  };
}

/**
 * Per-key rate limits shared by every api replica through Redis (docs/api.md, Rate limits). Import it
 * after AuthModule: global guards run in module order, and the limit is counted per API key.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({ inject: [AppConfig, REDIS], useFactory: rateLimitOptions }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
