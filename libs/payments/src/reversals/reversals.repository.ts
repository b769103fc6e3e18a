import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { schema, type DbOrTx } from '@malipo/db';
import { and, desc, eq, sql } from 'drizzle-orm';

const { reversals } = schema;

export type ReversalRow = typeof reversals.$inferSelect;
export type ReversalState =
  'pending_approval' | 'rejected' | 'sending' | 'sent' | 'unknown' | 'succeeded' | 'failed';

/** Reversals of one tenant; another tenant's is not found. */
@Injectable()
export class ReversalsRepository {
  async create(
    tx: DbOrTx,
    tenantId: TenantId,
    r: Pick<ReversalRow, 'paymentId' | 'reason' | 'amount' | 'receipt' | 'requestedBy'>,
  ): Promise<ReversalRow> {
    const [row] = await tx
      .insert(reversals)
      .values({ tenantId, state: 'pending_approval', ...r })
      .returning();
    return row;
  }

  async lock(tx: DbOrTx, tenantId: TenantId, id: string): Promise<ReversalRow | undefined> {
    const [row] = await tx
      .select()
      .from(reversals)
      .where(and(eq(reversals.tenantId, tenantId), eq(reversals.id, id)))
      .for('update');
    return row;
  }

  async find(tx: DbOrTx, tenantId: TenantId, id: string): Promise<ReversalRow | undefined> {
    const [row] = await tx
      .select()
      .from(reversals)
      .where(and(eq(reversals.tenantId, tenantId), eq(reversals.id, id)));
    return row;
  }

  async update(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    patch: Partial<Omit<ReversalRow, 'id' | 'tenantId' | 'paymentId' | 'createdAt'>>,
  ): Promise<ReversalRow> {
    const [row] = await tx
      .update(reversals)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(reversals.tenantId, tenantId), eq(reversals.id, id)))
      .returning();
    return row;
  }

  listForPayment(tx: DbOrTx, tenantId: TenantId, paymentId: string): Promise<ReversalRow[]> {
    return tx
      .select()
      .from(reversals)
      .where(and(eq(reversals.tenantId, tenantId), eq(reversals.paymentId, paymentId)))
      .orderBy(desc(reversals.createdAt));
  }
}
