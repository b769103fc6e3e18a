import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerLimitDetail, ThrottlerStorage } from '@nestjs/throttler';
import { HTTP_STATUS, RateLimitedError } from '@malipo/common';
import { RateLimitGuard } from './rate-limit.guard';

const unusedStorage: ThrottlerStorage = {
  increment: () => Promise.reject(new Error('not used here')),
};

/** Exposes the overridden hooks; the request flow itself is covered by the e2e spec. */
class Exposed extends RateLimitGuard {
  tracker = (req: Record<string, unknown>) => this.getTracker(req);
  key = (tracker: string, name: string) => this.generateKey({} as ExecutionContext, tracker, name);
  refuse = (detail: ThrottlerLimitDetail) =>
    this.throwThrottlingException({} as ExecutionContext, detail);
  skips = (type: string) => this.shouldSkip({ getType: () => type } as ExecutionContext);
}

const detail = (over: Partial<ThrottlerLimitDetail>): ThrottlerLimitDetail => ({
  ttl: 60_000,
  limit: 5,
  key: 'default:key:k1',
  tracker: 'key:k1',
  totalHits: 6,
  timeToExpire: 42,
  isBlocked: true,
  timeToBlockExpire: 42,
  ...over,
});

describe(RateLimitGuard.name, () => {
  const sut = new Exposed({ throttlers: [] }, unusedStorage, new Reflector());

  it('counts an authenticated request against its API key, whatever address it comes from', async () => {
    const principal = { keyId: 'k1', role: 'terminal', tenantId: 't', terminalId: 'x' };
    expect(await sut.tracker({ principal, ip: '10.0.0.1' })).toBe('key:k1');
    expect(await sut.tracker({ principal, ip: '10.0.0.2' })).toBe('key:k1');
  });

  it('counts an anonymous request against its address, IPv6 by /64', async () => {
    expect(await sut.tracker({ ip: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(await sut.tracker({ ip: '2001:db8:1:2:aaaa::1' })).toBe(
      await sut.tracker({ ip: '2001:db8:1:2:bbbb::2' }),
    );
  });

  it('names its Redis key by limit and tracker only, so every route of a key shares one count', () => {
    expect(sut.key('key:k1', 'payments')).toBe('payments:key:k1');
  });

  it('refuses with a 429 RateLimitedError carrying the wait in seconds', async () => {
    const error = await sut.refuse(detail({ timeToBlockExpire: 17 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'HTTP.RATE_LIMITED', retryAfterSeconds: 17 });
    expect(HTTP_STATUS[(error as RateLimitedError).kind]).toBe(429);
    expect((error as Error).message).toBe('Too many requests for this API key: at most 5 per 60 s');
    const pushes = await sut
      .refuse(detail({ key: 'payments:ip:10.0.0.1', tracker: 'ip:10.0.0.1', limit: 2 }))
      .catch((e: unknown) => e);
    expect((pushes as Error).message).toBe(
      'Too many payment requests for this address: at most 2 per 60 s',
    );
  });

  it('leaves WebSocket traffic to the gateway', async () => {
    expect(await sut.skips('ws')).toBe(true);
    expect(await sut.skips('http')).toBe(false);
  });
});
