import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, StatementCache, pgClientOf, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, eq, lt, sql } from 'drizzle-orm';

const { idempotencyKeys } = schema;
const statements = new StatementCache('idempotency');

export interface IdempotencyScope {
  tenantId: TenantId;
  scope: string;
  key: string;
}

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

/** SQL for idempotency keys; IdempotencyService holds the rules. Every statement names its key. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  private where(s: IdempotencyScope) {
    return and(
      eq(idempotencyKeys.tenantId, s.tenantId),
      eq(idempotencyKeys.scope, s.scope),
      eq(idempotencyKeys.key, s.key),
    );
  }

  /**
   * True when this call holds the key now: nobody had it, or its holder's answer had expired (the
   * expired row is taken over in the same statement, as if deleted and inserted again).
   */
  async claim(
    s: IdempotencyScope,
    k: { requestHash: string; lockedUntil: Date; expiresAt: Date; now: Date },
  ): Promise<boolean> {
    const statement = statements.get(
      'claim',
      () => `insert into idempotency_keys
          (tenant_id, scope, key, request_hash, state, locked_until, expires_at)
        values ($1, $2, $3, $4, 'in_progress', $5, $6)
        on conflict (tenant_id, scope, key) do update set
          request_hash = excluded.request_hash, state = 'in_progress',
          locked_until = excluded.locked_until, expires_at = excluded.expires_at,
          response_status = null, response_body = null, payment_id = null, created_at = now()
        where idempotency_keys.expires_at < $7
        returning key`,
    );
    const { rows } = await pgClientOf(this.db).query({
      ...statement,
      values: [s.tenantId, s.scope, s.key, k.requestHash, k.lockedUntil, k.expiresAt, k.now],
    });
    return rows.length === 1;
  }

  async find(s: IdempotencyScope): Promise<IdempotencyKeyRow | undefined> {
    const [row] = await this.db.select().from(idempotencyKeys).where(this.where(s));
    return row;
  }

  /** Takes over a key whose holder's lock lapsed; undefined when another request took it first. */
  async takeOver(
    s: IdempotencyScope,
    now: Date,
    lockedUntil: Date,
  ): Promise<{ paymentId: string | null } | undefined> {
    const [taken] = await this.db
      .update(idempotencyKeys)
      .set({ lockedUntil })
      .where(
        and(
          this.where(s),
          eq(idempotencyKeys.state, 'in_progress'),
          lt(idempotencyKeys.lockedUntil, now),
        ),
      )
      .returning({ paymentId: idempotencyKeys.paymentId });
    return taken;
  }

  async attachPayment(tx: DbOrTx, s: IdempotencyScope, paymentId: string): Promise<void> {
    await tx.update(idempotencyKeys).set({ paymentId }).where(this.where(s));
  }

  /** In `tx` when the answer must commit with the work it answers for (a ledger posting). */
  async complete(
    s: IdempotencyScope,
    status: number,
    body: unknown,
    tx: DbOrTx = this.db,
  ): Promise<void> {
    await tx
      .update(idempotencyKeys)
      .set({
        state: 'completed',
        responseStatus: status,
        responseBody: sql`${JSON.stringify(body)}::jsonb`,
        lockedUntil: null,
      })
      .where(this.where(s));
  }

  async setLockedUntilIfInProgress(s: IdempotencyScope, lockedUntil: Date): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ lockedUntil })
      .where(and(this.where(s), eq(idempotencyKeys.state, 'in_progress')));
  }

  async deleteIfInProgress(s: IdempotencyScope): Promise<void> {
    await this.db
      .delete(idempotencyKeys)
      .where(and(this.where(s), eq(idempotencyKeys.state, 'in_progress')));
  }
}
