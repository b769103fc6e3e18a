import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { asTenantId, type TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type Tx } from '@malipo/db';
import { StatementRepository, type PaymentEventRow, type PaymentRow } from '@malipo/payments';
import { QUEUES } from '@malipo/queue';
import type { Queue } from 'bullmq';
import { and, asc, eq, gt, inArray, notExists, sql } from 'drizzle-orm';
import { WebhookDeliveriesRepository, type NewDelivery } from './webhook-deliveries.repository';
import {
  WebhookEndpointsRepository,
  type WebhookEndpointRow,
} from './webhook-endpoints.repository';
import { typesForPaymentEvent, type WebhookBody } from './webhook-events';
import { enqueueCommitted, webhookJobOptions, type WebhookJob } from './webhook-jobs';
import { accountEntryBody, discrepancyBody, paymentEventBody } from './webhook-payloads';

const {
  tenants,
  webhookCursors,
  paymentEvents,
  payments,
  discrepancies,
  webhookDiscrepancyMarks,
  ledgerWebhookOutbox,
} = schema;

const EVENT_BATCH = 500;
const TENANT_BATCH = 200;
const DISCREPANCY_BATCH = 200;
/** Discrepancies older than this when first seen are marked without being sent. */
const DISCREPANCY_LOOKBACK = sql`now() - interval '7 days'`;

const wants = (e: WebhookEndpointRow, type: string, at: Date) =>
  e.eventTypes.includes(type) && e.createdAt.getTime() <= at.getTime();

/**
 * The transactional outbox reader. Deliveries come only from committed rows: payment_events
 * behind a per-tenant cursor (seq is gap-free and commit-ordered, so a cursor never skips one)
 * and discrepancies marked one by one. Deliveries are inserted under a unique key in the same
 * transaction that advances the cursor, and enqueued after commit under their own id; a crash
 * anywhere delays a webhook (the sweeper re-enqueues) but never loses or duplicates one.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookJob>,
    private readonly statements: StatementRepository,
  ) {}

  /** One round over every tenant with undispatched events; returns the deliveries created. */
  async dispatch(): Promise<number> {
    let created = 0;
    const behind = await this.db
      .select({ id: tenants.id })
      .from(tenants)
      .leftJoin(webhookCursors, eq(webhookCursors.tenantId, tenants.id))
      .where(sql`${tenants.eventSeq} > coalesce(${webhookCursors.eventSeq}, 0)`)
      .limit(TENANT_BATCH);
    for (const { id } of behind) {
      const rows = await this.db.transaction((tx) => this.dispatchTenant(tx, asTenantId(id)));
      created += await this.enqueue(rows);
    }
    const fromDiscrepancies = await this.db.transaction((tx) => this.dispatchDiscrepancies(tx));
    created += await this.enqueue(fromDiscrepancies);
    created += await this.enqueue(await this.db.transaction((tx) => this.dispatchJournals(tx)));
    return created;
  }

  /** Pending deliveries overdue by `graceMs` get their job again (Redis lost it, or we crashed). */
  async requeueOverdue(graceMs: number): Promise<number> {
    const overdue = await this.deliveries.overdue(new Date(Date.now() - graceMs), 500);
    for (const d of overdue) {
      const job = await this.queue.getJob(d.id);
      if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
      await this.queue.add(
        'deliver',
        { deliveryId: d.id, tenantId: d.tenantId },
        webhookJobOptions(d.id),
      );
    }
    if (overdue.length) this.logger.log({ count: overdue.length }, 'requeued overdue webhooks');
    return overdue.length;
  }

  private async dispatchTenant(tx: Tx, tenantId: TenantId) {
    await tx.insert(webhookCursors).values({ tenantId }).onConflictDoNothing();
    const [cursor] = await tx
      .select()
      .from(webhookCursors)
      .where(eq(webhookCursors.tenantId, tenantId))
      .for('update', { skipLocked: true });
    if (!cursor) return []; // another replica holds this tenant
    const events = await tx
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.tenantId, tenantId), gt(paymentEvents.seq, cursor.eventSeq)))
      .orderBy(asc(paymentEvents.seq))
      .limit(EVENT_BATCH);
    if (!events.length) return [];
    const endpoints = await this.endpoints.active(tx, tenantId);
    const rows = endpoints.length ? await this.paymentDeliveries(tx, events, endpoints) : [];
    const created = await this.deliveries.insertNew(tx, rows);
    await tx
      .update(webhookCursors)
      .set({ eventSeq: events[events.length - 1].seq, updatedAt: new Date() })
      .where(eq(webhookCursors.tenantId, tenantId));
    return created;
  }

  private async paymentDeliveries(
    tx: Tx,
    events: PaymentEventRow[],
    endpoints: WebhookEndpointRow[],
  ): Promise<NewDelivery[]> {
    const byId = await this.paymentsById(
      tx,
      events[0].tenantId,
      events.map((e) => e.paymentId),
    );
    const rows: NewDelivery[] = [];
    for (const event of events) {
      const payment = byId.get(event.paymentId);
      if (!payment) continue;
      for (const type of typesForPaymentEvent(event.toStatus)) {
        const targets = endpoints.filter((e) => wants(e, type, event.createdAt));
        if (!targets.length) continue;
        const body = paymentEventBody(event, payment, type);
        rows.push(...targets.map((e) => deliveryRow(e, `pe${event.id}`, body)));
      }
    }
    return rows;
  }

  private async dispatchDiscrepancies(tx: Tx) {
    const marked = tx
      .select({ one: sql`1` })
      .from(webhookDiscrepancyMarks)
      .where(eq(webhookDiscrepancyMarks.discrepancyId, discrepancies.id));
    const found = await tx
      .select()
      .from(discrepancies)
      .where(and(gt(discrepancies.createdAt, DISCREPANCY_LOOKBACK), notExists(marked)))
      .orderBy(asc(discrepancies.createdAt))
      .limit(DISCREPANCY_BATCH)
      .for('update', { skipLocked: true });
    const rows: NewDelivery[] = [];
    const endpointsOf = new Map<string, WebhookEndpointRow[]>();
    for (const d of found) {
      const [claimed] = await tx
        .insert(webhookDiscrepancyMarks)
        .values({ discrepancyId: d.id, tenantId: d.tenantId })
        .onConflictDoNothing()
        .returning();
      if (!claimed) continue;
      const tenantId = asTenantId(d.tenantId);
      if (!endpointsOf.has(d.tenantId)) {
        endpointsOf.set(d.tenantId, await this.endpoints.active(tx, tenantId));
      }
      const targets = endpointsOf
        .get(d.tenantId)!
        .filter((e) => wants(e, 'discrepancy.opened', d.createdAt));
      if (!targets.length) continue;
      const payment = d.paymentId
        ? (await this.paymentsById(tx, d.tenantId, [d.paymentId])).get(d.paymentId)
        : undefined;
      const body = discrepancyBody(d, payment);
      rows.push(...targets.map((e) => deliveryRow(e, `dsc${d.id}`, body)));
    }
    return this.deliveries.insertNew(tx, rows);
  }

  /**
   * Ledger journals the posting statement queued (only for shops with an account.* endpoint):
   * taken off the outbox in the transaction that inserts their deliveries.
   */
  private async dispatchJournals(tx: Tx) {
    const taken = await tx
      .delete(ledgerWebhookOutbox)
      .where(
        inArray(
          ledgerWebhookOutbox.journalId,
          tx
            .select({ id: ledgerWebhookOutbox.journalId })
            .from(ledgerWebhookOutbox)
            .orderBy(asc(ledgerWebhookOutbox.createdAt))
            .limit(DISCREPANCY_BATCH)
            .for('update', { skipLocked: true }),
        ),
      )
      .returning();
    const byTenant = new Map<string, string[]>();
    for (const t of taken) {
      byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t.journalId]);
    }
    const rows: NewDelivery[] = [];
    for (const [tenantId, journalIds] of byTenant) {
      const endpoints = await this.endpoints.active(tx, asTenantId(tenantId));
      for (const entry of await this.statements.byJournals(tenantId, journalIds)) {
        const body = accountEntryBody(tenantId, entry);
        const targets = endpoints.filter((e) => wants(e, body.type, new Date(entry.at)));
        rows.push(...targets.map((e) => deliveryRow(e, `lj${entry.journalId}`, body)));
      }
    }
    return this.deliveries.insertNew(tx, rows);
  }

  private async paymentsById(tx: Tx, tenantId: string, ids: string[]) {
    const rows: PaymentRow[] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, tenantId), inArray(payments.id, [...new Set(ids)])));
    return new Map(rows.map((p) => [p.id, p]));
  }

  private enqueue(rows: { id: string; tenantId: string }[]): Promise<number> {
    return enqueueCommitted(this.queue, rows, this.logger);
  }
}

function deliveryRow(e: WebhookEndpointRow, eventKey: string, body: WebhookBody): NewDelivery {
  return {
    tenantId: e.tenantId,
    endpointId: e.id,
    eventKey,
    eventId: body.id,
    eventType: body.type,
    payload: JSON.stringify(body),
  };
}
