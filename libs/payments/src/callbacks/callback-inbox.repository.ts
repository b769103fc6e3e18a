import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, PG_POOL, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Pool } from 'pg';

const { callbackInbox, channels, payments, paymentAttempts } = schema;

export type InboxRow = typeof callbackInbox.$inferSelect;
export type InboxState = 'received' | 'processed' | 'invalid' | 'rejected' | 'dead';

export interface NewInboxRow {
  tenantId: TenantId;
  attemptId: string;
  sourceIp: string | null;
  headers: Record<string, unknown>;
  rawBody: string;
  state: InboxState;
  lastError?: string | null;
}

const INSERT_INBOX_SQL = `insert into callback_inbox
  (tenant_id, attempt_id, source_ip, headers, raw_body, state, last_error)
  values ($1, $2, $3, $4::jsonb, $5, $6, $7)
  returning id, received_at`;

/** Every callback body as received. Written before Safaricom gets its answer. */
@Injectable()
export class CallbackInboxRepository {
  constructor(
    @Inject(DRIZZLE) readonly db: Db,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * The callback endpoint's only query, so it skips the query builder (a measurable share of the
   * request's CPU) and runs as a named prepared statement on each pooled connection.
   */
  async insert(row: NewInboxRow): Promise<{ id: string; receivedAt: Date }> {
    const result = await this.pool.query<{ id: string; received_at: Date }>({
      name: 'callback_inbox_insert',
      text: INSERT_INBOX_SQL,
      values: [
        row.tenantId,
        row.attemptId,
        row.sourceIp,
        JSON.stringify(row.headers),
        row.rawBody,
        row.state,
        row.lastError ?? null,
      ],
    });
    const [inserted] = result.rows;
    return { id: inserted.id, receivedAt: inserted.received_at };
  }

  /**
   * The inbox row with everything applying it needs, locked in one statement: its attempt, the
   * attempt's payment (locked payment first, as every path locks them) and whether its channel
   * confirms successes by STK Query. Undefined when the row, its attempt, payment or channel is
   * missing; the caller then takes the one-lookup-at-a-time path that says which.
   */
  async lockForApply(tx: DbOrTx, tenantId: TenantId, id: string) {
    const [row] = await tx
      .select({
        inbox: callbackInbox,
        attempt: paymentAttempts,
        payment: payments,
        confirmWithQuery: channels.confirmWithQuery,
      })
      .from(callbackInbox)
      .innerJoin(
        paymentAttempts,
        and(
          eq(paymentAttempts.tenantId, callbackInbox.tenantId),
          eq(paymentAttempts.id, callbackInbox.attemptId),
        ),
      )
      .innerJoin(
        payments,
        and(
          eq(payments.tenantId, paymentAttempts.tenantId),
          eq(payments.id, paymentAttempts.paymentId),
        ),
      )
      .innerJoin(
        channels,
        and(
          eq(channels.tenantId, paymentAttempts.tenantId),
          eq(channels.id, paymentAttempts.channelId),
        ),
      )
      .where(and(eq(callbackInbox.tenantId, tenantId), eq(callbackInbox.id, id)))
      .for('update', { of: [payments, paymentAttempts, callbackInbox] });
    return row;
  }

  async lock(tx: DbOrTx, tenantId: TenantId, id: string): Promise<InboxRow | undefined> {
    const [row] = await tx
      .select()
      .from(callbackInbox)
      .where(and(eq(callbackInbox.tenantId, tenantId), eq(callbackInbox.id, id)))
      .for('update');
    return row;
  }

  async find(tenantId: TenantId | null, id: string): Promise<InboxRow | undefined> {
    const where = tenantId
      ? and(eq(callbackInbox.tenantId, tenantId), eq(callbackInbox.id, id))
      : eq(callbackInbox.id, id);
    const [row] = await this.db.select().from(callbackInbox).where(where);
    return row;
  }

  async mark(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    state: InboxState,
    lastError: string | null = null,
  ): Promise<void> {
    await tx
      .update(callbackInbox)
      .set({
        state,
        lastError,
        processedAt: state === 'received' ? null : new Date(),
        processAttempts: sql`${callbackInbox.processAttempts} + 1`,
      })
      .where(and(eq(callbackInbox.tenantId, tenantId), eq(callbackInbox.id, id)));
  }

  /** Rows still `received` after `olderThanMs`: their job may have been lost (Redis was down). */
  async stale(olderThanMs: number, limit: number): Promise<Pick<InboxRow, 'id' | 'tenantId'>[]> {
    return this.db
      .select({ id: callbackInbox.id, tenantId: callbackInbox.tenantId })
      .from(callbackInbox)
      .where(
        and(
          eq(callbackInbox.state, 'received'),
          lt(callbackInbox.receivedAt, new Date(Date.now() - olderThanMs)),
        ),
      )
      .orderBy(asc(callbackInbox.receivedAt))
      .limit(limit);
  }

  /** Operators' view across tenants (ops keys only). */
  async listByState(state: InboxState, limit: number): Promise<InboxRow[]> {
    return this.db
      .select()
      .from(callbackInbox)
      .where(eq(callbackInbox.state, state))
      .orderBy(desc(callbackInbox.receivedAt))
      .limit(limit);
  }

  /** When the oldest callback still waiting to be processed arrived (operators' health page). */
  async oldestReceivedAt(): Promise<Date | null> {
    const [row] = await this.db
      .select({ at: callbackInbox.receivedAt })
      .from(callbackInbox)
      .where(eq(callbackInbox.state, 'received'))
      .orderBy(asc(callbackInbox.receivedAt))
      .limit(1);
    return row?.at ?? null;
  }
}
