import { type ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { metrics, RateLimitedError } from '@malipo/common';
import type { AuthenticatedRequest } from '../auth';

/**
 * Global rate limit, registered after ApiKeyGuard so the caller is known: counted per API key (one
 * noisy till cannot starve its shop, one shop cannot starve the others) and per client address
 * only on public routes that do not opt out with @SkipThrottle().
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    // WebSocket gateways cap connections per key themselves (REALTIME_MAX_CONNECTIONS_PER_KEY).
    return Promise.resolve(context.getType() !== 'http');
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const { principal, ip } = req as unknown as AuthenticatedRequest;
    if (principal) return Promise.resolve(`key:${principal.keyId}`);
    return Promise.resolve(`ip:${normalizeIp(ip, this.ipv6SubnetPrefix)}`);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const [limitName] = detail.key.split(':');
    metrics.rateLimited.inc({ limit: limitName });
    const who = detail.tracker.startsWith('key:') ? 'this API key' : 'this address';
    const what = limitName === 'default' ? 'requests' : 'payment requests';
    const perSeconds = Math.round(detail.ttl / 1000);
    throw new RateLimitedError(
      `Too many ${what} for ${who}: at most ${detail.limit} per ${perSeconds} s`,
      detail.timeToBlockExpire,
    );
  }
}
