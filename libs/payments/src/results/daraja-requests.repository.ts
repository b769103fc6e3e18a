import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { schema, type DbOrTx } from '@malipo/db';
import { and, desc, eq, sql } from 'drizzle-orm';

const { darajaRequests } = schema;

export type DarajaRequestRow = typeof darajaRequests.$inferSelect;
export type DarajaRequestKind = 'transaction_status' | 'reversal' | 'account_balance';
export type DarajaRequestState =
  'sending' | 'accepted' | 'refused' | 'unknown' | 'completed' | 'timed_out';

/** Result-based Daraja requests and what came of them; always scoped by tenant. */
@Injectable()
export class DarajaRequestsRepository {
  async create(
    tx: DbOrTx,
    tenantId: TenantId,
    r: { channelId: string; kind: DarajaRequestKind; paymentId?: string; reversalId?: string },
  ): Promise<DarajaRequestRow> {
    const [row] = await tx
      .insert(darajaRequests)
      .values({ tenantId, ...r })
      .returning();
    return row;
  }

  async update(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    patch: Partial<
      Pick<
        DarajaRequestRow,
        | 'state'
        | 'conversationId'
        | 'originatorConversationId'
        | 'request'
        | 'resultCode'
        | 'resultDesc'
        | 'result'
        | 'completedAt'
      >
    >,
  ): Promise<void> {
    await tx
      .update(darajaRequests)
      .set(patch)
      .where(and(eq(darajaRequests.tenantId, tenantId), eq(darajaRequests.id, id)));
  }

  async lock(tx: DbOrTx, tenantId: TenantId, id: string): Promise<DarajaRequestRow | undefined> {
    const [row] = await tx
      .select()
      .from(darajaRequests)
      .where(and(eq(darajaRequests.tenantId, tenantId), eq(darajaRequests.id, id)))
      .for('update');
    return row;
  }

  async find(tx: DbOrTx, tenantId: TenantId, id: string): Promise<DarajaRequestRow | undefined> {
    const [row] = await tx
      .select()
      .from(darajaRequests)
      .where(and(eq(darajaRequests.tenantId, tenantId), eq(darajaRequests.id, id)));
    return row;
  }

  /** The newest request of a kind for a payment. */
  async latestFor(
    tx: DbOrTx,
    tenantId: TenantId,
    paymentId: string,
    kind: DarajaRequestKind,
  ): Promise<DarajaRequestRow | undefined> {
    const [row] = await tx
      .select()
      .from(darajaRequests)
      .where(
        and(
          eq(darajaRequests.tenantId, tenantId),
          eq(darajaRequests.paymentId, paymentId),
          eq(darajaRequests.kind, kind),
        ),
      )
      .orderBy(desc(darajaRequests.createdAt), sql`${darajaRequests.id} desc`)
      .limit(1);
    return row;
  }
}
