import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, asc, eq, lt, sql } from 'drizzle-orm';

const { darajaInbox } = schema;

export type DarajaInboxRow = typeof darajaInbox.$inferSelect;
export type DarajaInboxKind = 'result' | 'queue_timeout' | 'c2b_confirmation';
export type DarajaInboxState = 'received' | 'processed' | 'invalid' | 'dead';

/** Result, queue-timeout and C2B bodies as received, before Daraja gets its answer. */
@Injectable()
export class DarajaInboxRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  async insert(
    row: {
      tenantId: TenantId;
      kind: DarajaInboxKind;
      subjectId: string;
      sourceIp: string | null;
      rawBody: string;
    },
    tx: DbOrTx = this.db,
  ): Promise<DarajaInboxRow> {
    const [inserted] = await tx.insert(darajaInbox).values(row).returning();
    return inserted;
  }

  async lock(tx: DbOrTx, tenantId: TenantId, id: string): Promise<DarajaInboxRow | undefined> {
    const [row] = await tx
      .select()
      .from(darajaInbox)
      .where(and(eq(darajaInbox.tenantId, tenantId), eq(darajaInbox.id, id)))
      .for('update');
    return row;
  }

  async mark(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    state: DarajaInboxState,
    lastError: string | null = null,
  ): Promise<void> {
    await tx
      .update(darajaInbox)
      .set({
        state,
        lastError,
        processedAt: sql`now()`,
        processAttempts: sql`${darajaInbox.processAttempts} + 1`,
      })
      .where(and(eq(darajaInbox.tenantId, tenantId), eq(darajaInbox.id, id)));
  }

  /** Rows still `received` after `olderThanMs`: the queue missed them (Redis was down). */
  stale(olderThanMs: number, limit: number): Promise<{ id: string; tenantId: string }[]> {
    return this.db
      .select({ id: darajaInbox.id, tenantId: darajaInbox.tenantId })
      .from(darajaInbox)
      .where(
        and(
          eq(darajaInbox.state, 'received'),
          lt(darajaInbox.receivedAt, sql`now() - ${olderThanMs} * interval '1 millisecond'`),
        ),
      )
      .orderBy(asc(darajaInbox.receivedAt))
      .limit(limit);
  }
}
