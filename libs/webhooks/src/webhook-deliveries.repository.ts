import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';

const { webhookDeliveries, webhookAttempts } = schema;

export type WebhookDeliveryRow = typeof schema.webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof schema.webhookAttempts.$inferSelect;

export interface NewDelivery {
  tenantId: string;
  endpointId: string;
  eventKey: string;
  eventId: string;
  eventType: string;
  payload: string;
  redeliveryOf?: string;
}

export interface AttemptRecord {
  number: number;
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
  success: boolean;
}

/** Deliveries and their attempt log. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /** Inserts what is new; a (endpoint, source, type) already dispatched yields nothing. */
  async insertNew(tx: DbOrTx, rows: NewDelivery[]): Promise<WebhookDeliveryRow[]> {
    if (!rows.length) return [];
    return tx.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning();
  }

  async find(
    tx: DbOrTx,
    tenantId: TenantId,
    id: string,
    lock = false,
  ): Promise<WebhookDeliveryRow | undefined> {
    const q = tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)));
    const [row] = lock ? await q.for('update') : await q;
    return row;
  }

  listForEndpoint(
    tenantId: TenantId,
    endpointId: string,
    page: { limit: number; before?: Date },
  ): Promise<WebhookDeliveryRow[]> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.tenantId, tenantId),
          eq(webhookDeliveries.endpointId, endpointId),
          page.before ? lt(webhookDeliveries.createdAt, page.before) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(page.limit);
  }

  /** Attempts of deliveries the caller already loaded for its tenant. */
  attemptsOf(deliveryIds: string[]): Promise<WebhookAttemptRow[]> {
    if (!deliveryIds.length) return Promise.resolve([]);
    return this.db
      .select()
      .from(webhookAttempts)
      .where(inArray(webhookAttempts.deliveryId, deliveryIds))
      .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.number));
  }

  async recordAttempt(
    tx: DbOrTx,
    delivery: WebhookDeliveryRow,
    attempt: AttemptRecord,
    next: { state: 'pending' | 'succeeded' | 'failed'; nextAttemptAt: Date },
  ): Promise<void> {
    await tx.insert(webhookAttempts).values({ deliveryId: delivery.id, ...attempt });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt.number,
        state: next.state,
        nextAttemptAt: next.nextAttemptAt,
        lastAttemptAt: attempt.at,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        completedAt: next.state === 'pending' ? null : attempt.at,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
  }

  async markFailed(tx: DbOrTx, id: string, error: string, at: Date): Promise<void> {
    await tx
      .update(webhookDeliveries)
      .set({ state: 'failed', lastError: error, completedAt: at })
      .where(eq(webhookDeliveries.id, id));
  }

  /** Pending deliveries whose next attempt is overdue: their job may have been lost. */
  overdue(olderThan: Date, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(eq(webhookDeliveries.state, 'pending'), lt(webhookDeliveries.nextAttemptAt, olderThan)),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(limit);
  }

  /** Counts by state, for tests and metrics. */
  async countByState(tenantId: TenantId): Promise<Record<string, number>> {
    const rows = await this.db
      .select({ state: webhookDeliveries.state, n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, tenantId))
      .groupBy(webhookDeliveries.state);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
