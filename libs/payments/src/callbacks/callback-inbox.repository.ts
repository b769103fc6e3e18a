import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import {
  DRIZZLE,
  PG_POOL,
  RowShape,
  StatementCache,
  pgClientOf,
  schema,
  type Db,
  type DbOrTx,
} from '@malipo/db';
import { attemptShape, paymentShape } from '../infrastructure/payments.repository';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Pool } from 'pg';

const { callbackInbox } = schema;

const inboxShape = new RowShape<typeof callbackInbox.$inferSelect>(callbackInbox, 'i');
const statements = new StatementCache('inbox');

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
    const statement = statements.get(
      'lock-for-apply',
      () => `select ${paymentShape.selectList}, ${attemptShape.selectList}, ${inboxShape.selectList},
          c.confirm_with_query
        from callback_inbox i
        join payment_attempts a on a.tenant_id = i.tenant_id and a.id = i.attempt_id
        join payments p on p.tenant_id = a.tenant_id and p.id = a.payment_id
        join channels c on c.tenant_id = a.tenant_id and c.id = a.channel_id
        where i.tenant_id = $1 and i.id = $2
        for update of p, a, i`,
    );
    const { rows } = await pgClientOf(tx).query<Record<string, unknown>>({
      ...statement,
      values: [tenantId, id],
    });
    const [row] = rows;
    if (!row) return undefined;
    return {
      inbox: inboxShape.fromPrefixed(row),
      attempt: attemptShape.fromPrefixed(row),
      payment: paymentShape.fromPrefixed(row),
      confirmWithQuery: row.confirm_with_query === true,
    };
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
    const statement = statements.get(
      'mark',
      () => `update callback_inbox
        set state = $3, last_error = $4, processed_at = $5, process_attempts = process_attempts + 1
        where tenant_id = $1 and id = $2`,
    );
    await pgClientOf(tx).query({
      ...statement,
      values: [tenantId, id, state, lastError, state === 'received' ? null : new Date()],
    });
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
