import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { schema, type DbOrTx } from '@malipo/db';
import { and, desc, eq, sql } from 'drizzle-orm';

const { accountAdjustments } = schema;

export type AdjustmentRow = typeof accountAdjustments.$inferSelect;

/** Adjustments of one tenant's accounts; another tenant's is not found. */
@Injectable()
export class AdjustmentsRepository {
  async create(
    tx: DbOrTx,
    tenantId: TenantId,
    a: Pick<AdjustmentRow, 'accountId' | 'amount' | 'reason' | 'requestedBy'>,
  ): Promise<AdjustmentRow> {
    const [row] = await tx
      .insert(accountAdjustments)
      .values({ tenantId, state: 'pending_approval', ...a })
      .returning();
    return row;
  }

  async lock(
    tx: DbOrTx,
    tenantId: TenantId,
    accountId: string,
    id: string,
  ): Promise<AdjustmentRow | undefined> {
    const [row] = await tx
      .select()
      .from(accountAdjustments)
      .where(
        and(
          eq(accountAdjustments.tenantId, tenantId),
          eq(accountAdjustments.accountId, accountId),
          eq(accountAdjustments.id, id),
        ),
      )
      .for('update');
    return row;
  }

  async update(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    patch: Partial<
      Pick<
        AdjustmentRow,
        'state' | 'decidedBy' | 'decidedRole' | 'decisionNote' | 'decidedAt' | 'journalId'
      >
    >,
  ): Promise<AdjustmentRow> {
    const [row] = await tx
      .update(accountAdjustments)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(accountAdjustments.tenantId, tenantId), eq(accountAdjustments.id, id)))
      .returning();
    return row;
  }

  list(tx: DbOrTx, tenantId: TenantId, accountId: string): Promise<AdjustmentRow[]> {
    return tx
      .select()
      .from(accountAdjustments)
      .where(
        and(eq(accountAdjustments.tenantId, tenantId), eq(accountAdjustments.accountId, accountId)),
      )
      .orderBy(desc(accountAdjustments.createdAt))
      .limit(200);
  }
}
