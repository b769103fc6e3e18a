import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DepositLimits } from './ledger-rules';

const { accounts, tenants } = schema;

export type AccountRow = typeof accounts.$inferSelect;

export interface NewAccount {
  code: string;
  name: string;
  phone: string | null;
  externalRef: string | null;
}

export interface AccountListQuery {
  /** Part of the name, or the code, external reference or phone exactly. */
  q?: string;
  phone?: string;
  afterId?: string;
  limit: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Customer accounts of one tenant; another tenant's account is never found. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  async create(tenantId: TenantId, a: NewAccount, tx: DbOrTx = this.db): Promise<AccountRow> {
    const [row] = await tx
      .insert(accounts)
      .values({ tenantId, ...a })
      .returning();
    return row;
  }

  async find(tx: DbOrTx, tenantId: TenantId, id: string): Promise<AccountRow | undefined> {
    const [row] = await tx
      .select()
      .from(accounts)
      .where(and(eq(accounts.tenantId, tenantId), eq(accounts.id, id)));
    return row;
  }

  async list(tenantId: TenantId, q: AccountListQuery): Promise<AccountRow[]> {
    const conditions: SQL[] = [eq(accounts.tenantId, tenantId)];
    if (q.q) {
      const term = q.q.trim();
      const matches = [
        ilike(accounts.name, `%${escapeLike(term)}%`),
        eq(accounts.code, term.toUpperCase()),
        eq(accounts.externalRef, term),
      ];
      if (q.phone) matches.push(eq(accounts.phone, q.phone));
      conditions.push(or(...matches)!);
    }
    if (q.afterId) {
      conditions.push(
        sql`(${accounts.createdAt}, ${accounts.id}) < (select a.created_at, a.id from accounts a where a.id = ${q.afterId} and a.tenant_id = ${tenantId})`,
      );
    }
    return this.db
      .select()
      .from(accounts)
      .where(and(...conditions))
      .orderBy(desc(accounts.createdAt), desc(accounts.id))
      .limit(q.limit);
  }

  async depositLimits(tenantId: TenantId): Promise<DepositLimits | undefined> {
    const [row] = await this.db
      .select({ depositMin: tenants.depositMin, depositMax: tenants.depositMax })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    return row;
  }

  async setDepositLimits(
    tenantId: TenantId,
    limits: DepositLimits,
    tx: DbOrTx = this.db,
  ): Promise<DepositLimits | undefined> {
    const [row] = await tx
      .update(tenants)
      .set(limits)
      .where(eq(tenants.id, tenantId))
      .returning({ depositMin: tenants.depositMin, depositMax: tenants.depositMax });
    return row;
  }
}
