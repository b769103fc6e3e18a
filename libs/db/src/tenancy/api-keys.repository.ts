import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { and, asc, eq, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { DRIZZLE, type Db, type DbOrTx } from '../db.types';
import { apiKeys } from '../schema/tenancy';
import type { ApiKeyRole, ApiKeyRow } from './tenancy.types';

export interface NewApiKey {
  /** Null only for ops keys. */
  tenantId: TenantId | null;
  terminalId?: string | null;
  role: ApiKeyRole;
  name: string;
  prefix: string;
  keyHash: string;
  isDemo?: boolean;
}

/**
 * API keys. Tenant keys are read through the tenant; ops keys (no tenant) have their own
 * methods. `findActiveByHash` is the authentication lookup: the key itself names the tenant.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async create(input: NewApiKey, tx: DbOrTx = this.db): Promise<ApiKeyRow> {
    const [row] = await tx.insert(apiKeys).values(input).returning();
    return row;
  }

  async findActiveByHash(keyHash: string, tx: DbOrTx = this.db): Promise<ApiKeyRow | undefined> {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
    return row;
  }

  async findById(
    tenantId: TenantId,
    keyId: string,
    tx: DbOrTx = this.db,
  ): Promise<ApiKeyRow | undefined> {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
    return row;
  }

  async list(tenantId: TenantId, tx: DbOrTx = this.db): Promise<ApiKeyRow[]> {
    return tx
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  }

  async listOps(tx: DbOrTx = this.db): Promise<ApiKeyRow[]> {
    return tx
      .select()
      .from(apiKeys)
      .where(and(isNull(apiKeys.tenantId), eq(apiKeys.role, 'ops')))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  }

  /** Revokes a key of this tenant (idempotent); undefined when the tenant has no such key. */
  async revoke(
    tenantId: TenantId,
    keyId: string,
    tx: DbOrTx = this.db,
  ): Promise<ApiKeyRow | undefined> {
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
    return this.findById(tenantId, keyId, tx);
  }

  async revokeOps(keyId: string, tx: DbOrTx = this.db): Promise<ApiKeyRow | undefined> {
    const opsKey = and(isNull(apiKeys.tenantId), eq(apiKeys.role, 'ops'), eq(apiKeys.id, keyId));
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(opsKey, isNull(apiKeys.revokedAt)));
    const [row] = await tx.select().from(apiKeys).where(opsKey);
    return row;
  }

  /**
   * Records use at most once a minute per key: the condition makes concurrent requests and
   * replicas write once instead of on every request.
   */
  async touchLastUsed(keyId: string, tx: DbOrTx = this.db): Promise<void> {
    await tx
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, keyId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }

  /** Any key with this hash, revoked or not (the hash is unique). */
  async findByHash(keyHash: string, tx: DbOrTx = this.db): Promise<ApiKeyRow | undefined> {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
    return row;
  }

  async listActiveDemo(tx: DbOrTx = this.db): Promise<ApiKeyRow[]> {
    return tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.isDemo, true), isNull(apiKeys.revokedAt)))
      .orderBy(asc(apiKeys.createdAt));
  }

  /** Revokes active demo keys (of one role, or all), except the ids in `keep`. */
  async revokeDemo(
    opts: { role?: ApiKeyRole; keep?: string[] } = {},
    tx: DbOrTx = this.db,
  ): Promise<number> {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.isDemo, true),
          isNull(apiKeys.revokedAt),
          opts.role ? eq(apiKeys.role, opts.role) : undefined,
          opts.keep?.length ? notInArray(apiKeys.id, opts.keep) : undefined,
        ),
      )
      .returning({ id: apiKeys.id });
    return rows.length;
  }

  /** Makes a revoked demo key usable again (a demo key given again through the environment). */
  async reactivateDemo(keyId: string, tx: DbOrTx = this.db): Promise<void> {
    await tx
      .update(apiKeys)
      .set({ revokedAt: null })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.isDemo, true)));
  }
}
