import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, UnavailableError } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';

// Delete only if the lock still belongs to this attempt: a newer prompt's lock must survive.
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One live prompt per phone per channel. Daraja cancels the first prompt when a second arrives, so
 * a second push would silently kill a customer's pending payment (DESIGN invariant 2).
 */
@Injectable()
export class PhoneLock {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private key(channelId: string, phone: string): string {
    return `phone-lock:${channelId}:${phone}`;
  }

  /** True when the lock was taken for this attempt. */
  async acquire(channelId: string, phone: string, attemptId: string): Promise<boolean> {
    try {
      const ok = await this.redis.set(
        this.key(channelId, phone),
        attemptId,
        'EX',
        this.config.PHONE_LOCK_SECONDS,
        'NX',
      );
      return ok === 'OK';
    } catch (error) {
      throw new UnavailableError(
        'Cannot check the phone for a live prompt right now; try again',
        'SERVICE.UNAVAILABLE',
        {
          cause: error,
        },
      );
    }
  }

  /** Best effort: the TTL ends a lock whose release was lost. */
  async release(channelId: string, phone: string, attemptId: string): Promise<void> {
    await this.redis
      .eval(RELEASE_IF_OWNER, 1, this.key(channelId, phone), attemptId)
      .catch(() => undefined);
  }
}
