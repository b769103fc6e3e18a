import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, opsMetrics } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

/**
 * Sliding log in a sorted set, timed by the Redis server so that replicas with skewed clocks agree.
 * Returns 0 when a slot was taken, else the milliseconds until the oldest slot frees.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * Once the answer is in, the slot is re-stamped with that time: Daraja saw the request no later
 * than we saw its answer, so counting from then keeps every window honest however slow the road.
 */
const SETTLE = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Clock granularity between Redis and Daraja; small, since slots are re-stamped on answer. */
const ARRIVAL_MARGIN_MS = 250;

export type BudgetAnswer = { ok: true; slot: string } | { ok: false; retryInMs: number };

/**
 * The per-channel STK Query budget, shared by every worker replica: at most
 * RECONCILE_QUERIES_PER_MINUTE (scaled to RECONCILE_BUDGET_WINDOW_MS) in any window, so a backlog
 * never trips Daraja's spike arrest for a shop.
 */
@Injectable()
export class ReconcileBudget {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Queries allowed per window; a channel may carry its own per-minute figure. */
  limit(perMinute?: number | null): number {
    const window = this.config.RECONCILE_BUDGET_WINDOW_MS;
    const rate = perMinute && perMinute > 0 ? perMinute : this.config.RECONCILE_QUERIES_PER_MINUTE;
    return Math.max(1, Math.floor((rate * window) / 60_000));
  }

  async take(channelId: string, perMinute?: number | null): Promise<BudgetAnswer> {
    const window = this.config.RECONCILE_BUDGET_WINDOW_MS + ARRIVAL_MARGIN_MS;
    const slot = randomBytes(8).toString('hex');
    const wait = Number(
      await this.redis.eval(
        TAKE,
        1,
        this.key(channelId),
        String(window),
        String(this.limit(perMinute)),
        slot,
      ),
    );
    opsMetrics.queryBudgetUsed.inc({ channel: channelId, result: wait === 0 ? 'taken' : 'spent' });
    return wait === 0 ? { ok: true, slot } : { ok: false, retryInMs: wait };
  }

  /** The query this slot paid for has been answered (or failed): count it from now. */
  async settle(channelId: string, slot: string): Promise<void> {
    const window = this.config.RECONCILE_BUDGET_WINDOW_MS + ARRIVAL_MARGIN_MS;
    await this.redis.eval(SETTLE, 1, this.key(channelId), slot, String(window));
  }

  private key(channelId: string): string {
    return `reconcile:budget:${channelId}`;
  }
}
