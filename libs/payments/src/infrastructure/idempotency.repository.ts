import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, eq, lt, sql } from 'drizzle-orm';

const { idempotencyKeys } = schema;

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

  async deleteExpired(s: IdempotencyScope, now: Date): Promise<void> {
    await this.db
      .delete(idempotencyKeys)
      .where(and(this.where(s), lt(idempotencyKeys.expiresAt, now)));
  }

  /** True when this call created the key (nobody held it). */
  async insertInProgress(
    s: IdempotencyScope,
    k: { requestHash: string; lockedUntil: Date; expiresAt: Date },
  ): Promise<boolean> {
    const [inserted] = await this.db
      .insert(idempotencyKeys)
      .values({ ...s, ...k, state: 'in_progress' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    return inserted !== undefined;
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

  async complete(s: IdempotencyScope, status: number, body: unknown): Promise<void> {
    await this.db
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
