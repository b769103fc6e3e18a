import { Injectable, Logger } from '@nestjs/common';
import { hashApiKey, type TenantId } from '@malipo/common';
import { ApiKeysRepository, type ApiKeyRow } from '@malipo/db';
import type { Principal } from './principal';

/** A hit may be this old; revocation in this process clears the cache at once. */
const CACHE_TTL_MS = 1_000;
const CACHE_MAX_ENTRIES = 10_000;
const TOUCH_INTERVAL_MS = 60_000;
const MAX_KEY_LENGTH = 256;

export function principalFromRow(row: ApiKeyRow): Principal {
  return {
    keyId: row.id,
    role: row.role,
    tenantId: row.tenantId as TenantId | null,
    terminalId: row.role === 'terminal' ? row.terminalId : null,
  };
}

/**
 * Turns a presented API key into a principal. Only the sha256 of the key is looked up. Positive
 * answers are cached for at most one second, so a revoked key stops working within that second on
 * other replicas and immediately on this one (`forgetAll`).
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly touchedAt = new Map<string, number>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key || key.length > MAX_KEY_LENGTH) return undefined;
    return this.authenticateHash(hashApiKey(key));
  }

  /** The same check for a key known only by its hash (a console session holds no key). */
  async authenticateHash(hash: string): Promise<Principal | undefined> {
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const row = await this.keys.findActiveByHash(hash);
    if (!row) {
      this.cache.delete(hash);
      return undefined;
    }
    const principal = principalFromRow(row);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_TTL_MS });
    this.touch(row.id, now);
    return principal;
  }

  /** Called after a revocation so this replica never serves a revoked key from cache. */
  forgetAll(): void {
    this.cache.clear();
  }

  private touch(keyId: string, now: number): void {
    const last = this.touchedAt.get(keyId) ?? 0;
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.touchedAt.set(keyId, now);
    this.keys.touchLastUsed(keyId).catch((error: unknown) => {
      this.logger.warn({ err: error, keyId }, 'could not record API key use');
    });
  }
}
