import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { AppConfig, RateLimitedError, metrics } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage';

const WINDOW_MS = 60_000;

/**
 * Failed authentications counted per client address (IPv6 by /64) in the rate limiter's Redis
 * store, shared by every replica: guessing keys costs a 429 for the rest of the minute once the
 * limit is passed. Only routes that need a key get here, so the Daraja callback never does.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly storage: RedisThrottlerStorage;
  private readonly limit: number;

  constructor(config: AppConfig, @Inject(REDIS) redis: Redis) {
    this.storage = new RedisThrottlerStorage(redis);
    this.limit = config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
  }

  /** Counts one failure of `ip`; throws the 429 once the address is over its limit. */
  async failed(ip: string): Promise<void> {
    if (!this.limit) return;
    const key = `auth-failures:ip:${normalizeIp(ip, 64)}`;
    const record = await this.storage.increment(key, WINDOW_MS, this.limit, WINDOW_MS, 'auth');
    if (!record.isBlocked) return;
    metrics.rateLimited.inc({ limit: 'auth-failures' });
    throw new RateLimitedError(
      `Too many failed authentications from this address: at most ${this.limit} per 60 s`,
      record.timeToBlockExpire,
    );
  }
}
