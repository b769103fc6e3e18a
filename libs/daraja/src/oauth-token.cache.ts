import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { DarajaCredentials } from './daraja.types';
import type { DarajaLogger } from './daraja.types';

export interface FreshToken {
  token: string;
  expiresInSeconds: number;
}

interface CachedToken {
  token: string;
  /** Epoch ms after which Daraja no longer accepts the token. */
  expiresAt: number;
  /** Epoch ms after which one caller refreshes it while the others keep using it. */
  refreshAt: number;
}

export interface TokenCacheOptions {
  /** How long one refresher may hold the lock (longer than an OAuth call with its retries). */
  lockTtlMs: number;
  /** How often a waiting caller looks for the fresh token. */
  pollMs: number;
  logger?: DarajaLogger;
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const DELETE_IF_TOKEN = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Refresh a few minutes early; for short-lived tokens (tests, odd responses) a tenth of the life. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(5 * 60_000, Math.floor(lifetimeMs / 10));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One OAuth token per credential set, shared by every replica through Redis. Daraja may void the
 * previous token when a new one is minted (REFERENCE §1.2), so exactly one caller refreshes (a
 * Redis SET NX PX lock) and the others keep the still-valid token or wait for the new one. The key
 * is a hash: no consumer key or secret is ever written to Redis.
 */
export class OAuthTokenCache {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly local = new Map<string, CachedToken>();

  constructor(
    private readonly redis: Redis,
    private readonly fetchToken: (creds: DarajaCredentials) => Promise<FreshToken>,
    private readonly opts: TokenCacheOptions,
  ) {}

  static keyFor(creds: DarajaCredentials): string {
    const digest = createHash('sha256')
      .update(`${creds.baseUrl}\n${creds.consumerKey}\n${creds.consumerSecret}`)
      .digest('hex');
    return `daraja:token:${digest}`;
  }

  /** Same-process callers share one promise, so a burst costs one Redis round trip, not N. */
  get(creds: DarajaCredentials): Promise<string> {
    const key = OAuthTokenCache.keyFor(creds);
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.obtain(creds, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Forget `token` if it is still the cached one (a refreshed token is left alone). */
  async invalidate(creds: DarajaCredentials, token: string): Promise<void> {
    const key = OAuthTokenCache.keyFor(creds);
    if (this.local.get(key)?.token === token) this.local.delete(key);
    try {
      await this.redis.eval(DELETE_IF_TOKEN, 1, key, token);
    } catch (error) {
      this.opts.logger?.warn('daraja token cache: redis unavailable on invalidate', {
        error: (error as Error).message,
      });
    }
  }

  private async obtain(creds: DarajaCredentials, key: string): Promise<string> {
    try {
      return await this.fromRedis(creds, key);
    } catch (error) {
      if (!isRedisFailure(error)) throw error;
      // Payments should survive a Redis blip: fall back to a per-process cache.
      this.opts.logger?.warn('daraja token cache: redis unavailable, using process cache', {
        error: (error as Error).message,
      });
      return this.fromProcess(creds, key);
    }
  }

  private async fromRedis(creds: DarajaCredentials, key: string): Promise<string> {
    const deadline = Date.now() + this.opts.lockTtlMs + 2 * this.opts.pollMs;
    let known = await this.read(key);
    for (;;) {
      const now = Date.now();
      if (known && known.refreshAt > now) return known.token;
      const lockKey = `${key}:lock`;
      const owner = randomUUID();
      const locked = await this.redis.set(lockKey, owner, 'PX', this.opts.lockTtlMs, 'NX');
      if (locked) return this.refreshHolding(creds, key, lockKey, owner);
      // Someone else is refreshing. A token that is only due for refresh is still good to use.
      if (known && known.expiresAt > now + this.opts.pollMs) return known.token;
      if (Date.now() > deadline) return this.refreshUnlocked(creds, key);
      await sleep(this.opts.pollMs);
      known = await this.read(key);
    }
  }

  private async refreshHolding(
    creds: DarajaCredentials,
    key: string,
    lockKey: string,
    owner: string,
  ): Promise<string> {
    try {
      // Another replica may have finished a refresh between our read and our lock.
      const again = await this.read(key);
      if (again && again.refreshAt > Date.now()) return again.token;
      const fresh = await this.fetchToken(creds);
      const cached = toCached(fresh);
      const ttl = cached.expiresAt - Date.now();
      if (ttl > 0) await this.redis.set(key, JSON.stringify(cached), 'PX', ttl);
      return cached.token;
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, owner).catch(() => undefined);
    }
  }

  /** The lock holder vanished without a token (crashed replica); do not wait forever. */
  private async refreshUnlocked(creds: DarajaCredentials, key: string): Promise<string> {
    const fresh = toCached(await this.fetchToken(creds));
    const ttl = fresh.expiresAt - Date.now();
    if (ttl > 0) await this.redis.set(key, JSON.stringify(fresh), 'PX', ttl);
    return fresh.token;
  }

  private async fromProcess(creds: DarajaCredentials, key: string): Promise<string> {
    const known = this.local.get(key);
    if (known && known.refreshAt > Date.now()) return known.token;
    const fresh = toCached(await this.fetchToken(creds));
    this.local.set(key, fresh);
    return fresh.token;
  }

  private async read(key: string): Promise<CachedToken | undefined> {
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as CachedToken;
      return typeof value.token === 'string' && value.expiresAt > Date.now() ? value : undefined;
    } catch {
      return undefined;
    }
  }
}

function toCached(fresh: FreshToken): CachedToken {
  const now = Date.now();
  const lifetimeMs = Math.max(0, fresh.expiresInSeconds * 1000);
  return {
    token: fresh.token,
    expiresAt: now + lifetimeMs,
    refreshAt: now + lifetimeMs - refreshMarginMs(lifetimeMs),
  };
}

/** Our own DarajaErrors pass through; anything else thrown on this path came from Redis. */
function isRedisFailure(error: unknown): boolean {
  return !(error instanceof Error && error.name === 'DarajaError');
}
