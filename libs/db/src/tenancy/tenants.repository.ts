import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Db, type DbOrTx } from '../db.types';
import { tenants } from '../schema/tenancy';
import type { TenantRow } from './tenancy.types';

/** Tenants themselves. Listing every tenant is an ops concern; callers check the role. */
@Injectable()
export class TenantsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  async create(
    input: { name: string; isDemo?: boolean },
    tx: DbOrTx = this.db,
  ): Promise<TenantRow> {
    const [row] = await tx
      .insert(tenants)
      .values({ name: input.name, isDemo: input.isDemo ?? false })
      .returning();
    return row;
  }

  async findById(tenantId: TenantId, tx: DbOrTx = this.db): Promise<TenantRow | undefined> {
    const [row] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    return row;
  }

  /** Who may approve a reversal asked by an owner; undefined when the tenant does not exist. */
  async setReversalApprovers(
    tenantId: TenantId,
    approvers: TenantRow['reversalApprovers'],
    tx: DbOrTx = this.db,
  ): Promise<TenantRow | undefined> {
    const [row] = await tx
      .update(tenants)
      .set({ reversalApprovers: approvers })
      .where(eq(tenants.id, tenantId))
      .returning();
    return row;
  }

  async listAll(tx: DbOrTx = this.db): Promise<TenantRow[]> {
    return tx.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id));
  }

  async findDemo(tx: DbOrTx = this.db): Promise<TenantRow | undefined> {
    const [row] = await tx
      .select()
      .from(tenants)
      .where(eq(tenants.isDemo, true))
      .orderBy(asc(tenants.createdAt))
      .limit(1);
    return row;
  }
}
