import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { metrics, withTimeout } from '@malipo/common';
import type Redis from 'ioredis';

/**
 * Fixed window per key, counted by Redis so every api replica shares it. KEYS[1] counts hits and
 * expires with the window; KEYS[2] exists while a key is blocked (only when blockDuration > 0).
 * Returns { totalHits, msToWindowEnd, blocked (0/1), msToBlockEnd }.
 */
export const INCREMENT_SCRIPT = `
local blockedFor = redis.call('PTTL', KEYS[2])
if blockedFor > 0 then
  return { tonumber(redis.call('GET', KEYS[2])), blockedFor, 1, blockedFor }
end
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
if hits <= tonumber(ARGV[2]) then
  return { hits, left, 0, 0 }
end
local blockMs = tonumber(ARGV[3])
if blockMs > 0 then
  redis.call('SET', KEYS[2], hits, 'PX', blockMs)
  redis.call('DEL', KEYS[1])
  return { hits, blockMs, 1, blockMs }
end
return { hits, left, 1, left }
`;

/** A limiter that waits on a hung Redis would stall every request; it gives up and lets through. */
const REDIS_TIMEOUT_MS = 500;
const WARN_EVERY_MS = 10_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/**
 * @nestjs/throttler storage over the shared ioredis client (keys under REDIS_PREFIX). When Redis
 * does not answer it fails open: a payment must never be refused because the limiter is down.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private lastWarnAt = 0;

  constructor(private readonly redis: Redis) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName?: string, // already part of the key (RateLimitGuard.generateKey)
  ): Promise<ThrottlerStorageRecord> {
    try {
      const call = this.redis.eval(
        INCREMENT_SCRIPT,
        2,
        `ratelimit:${key}`,
        `ratelimit:${key}:blocked`,
        String(ttl),
        String(limit),
        String(blockDuration),
      );
      const [totalHits, windowMs, blocked, blockMs] = (await withTimeout(
        call,
        REDIS_TIMEOUT_MS,
        'rate-limit store',
      )) as number[];
      return {
        totalHits,
        timeToExpire: seconds(windowMs),
        isBlocked: blocked === 1,
        timeToBlockExpire: blocked === 1 ? Math.max(1, seconds(blockMs)) : 0,
      };
    } catch (error) {
      this.failedOpen(error);
      return { totalHits: 0, timeToExpire: seconds(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private failedOpen(error: unknown): void {
    metrics.rateLimitFailOpen.inc();
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn(
      { err: (error as Error).message },
      'rate-limit store unavailable: requests pass unchecked',
    );
  }
}
