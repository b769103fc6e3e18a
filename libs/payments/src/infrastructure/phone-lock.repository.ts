import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, UnavailableError } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';

// Delete only if the lock still belongs to this attempt: a newer prompt's lock must survive.
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

// Take the lock when it is free or already this attempt's, with a fresh lifetime.
const CLAIM_IF_FREE_OR_OWNER = `local v = redis.call('get', KEYS[1])
if v == false or v == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end
return 0`;

const unavailable = (cause: unknown) =>
  new UnavailableError(
    'Cannot check the phone for a live prompt right now; try again',
    'SERVICE.UNAVAILABLE',
    { cause },
  );

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
      throw unavailable(error);
    }
  }

  /**
   * For a push resumed later than the one that took the lock: true when the lock is (again) this
   * attempt's, its lifetime starting now, as the prompt's does.
   */
  async claim(channelId: string, phone: string, attemptId: string): Promise<boolean> {
    try {
      const key = this.key(channelId, phone);
      const ttl = String(this.config.PHONE_LOCK_SECONDS);
      return (await this.redis.eval(CLAIM_IF_FREE_OR_OWNER, 1, key, attemptId, ttl)) === 1;
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Best effort: the TTL ends a lock whose release was lost. */
  async release(channelId: string, phone: string, attemptId: string): Promise<void> {
    await this.redis
      .eval(RELEASE_IF_OWNER, 1, this.key(channelId, phone), attemptId)
      .catch(() => undefined);
  }
}
