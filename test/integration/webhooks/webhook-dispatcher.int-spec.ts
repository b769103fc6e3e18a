import type { INestApplicationContext, Type } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { asTenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { DiscrepanciesRepository, PaymentService, PaymentsRepository } from '@malipo/payments';
import { QUEUES } from '@malipo/queue';
import {
  WebhookDispatcher,
  WebhookEndpointsRepository,
  WebhookSecrets,
  type WebhookJob,
} from '@malipo/webhooks';
import type { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { createAcceptedPayment, paidEvent } from '../../factories/payments';
import { connectTestDb, createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';

describe(WebhookDispatcher.name, () => {
  let core: INestApplicationContext;
  let sut: WebhookDispatcher;
  let queue: Queue<WebhookJob>;
  let db: Db;
  let closeDb: () => Promise<void>;

  const deliveriesOf = (tenantId: string) =>
    db
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.tenantId, tenantId));

  async function endpointFor(shop: TenantWithKeys, eventTypes: string[]) {
    const { sealed } = core.get(WebhookSecrets).create();
    return core.get(WebhookEndpointsRepository).insert(shop.tenantId, {
      url: 'http://127.0.0.1:9/hook',
      description: null,
      eventTypes,
      secretSealed: sealed,
    });
  }

  async function paidPayment(shop: TenantWithKeys) {
    const p = await createAcceptedPayment(core, shop);
    await core
      .get(PaymentService)
      .apply(shop.tenantId, p.paymentId, paidEvent(p), { source: 'callback' });
    return p;
  }

  beforeAll(async () => {
    const { AppConfigModule } = await import('@malipo/common');
    const { DbModule } = await import('@malipo/db');
    const { RedisModule, QueueModule } = await import('@malipo/queue');
    const { PaymentsCoreModule } = await import('@malipo/payments');
    const { WebhooksCoreModule } = await import('@malipo/webhooks');
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(),
        DbModule,
        RedisModule,
        QueueModule,
        PaymentsCoreModule as Type<unknown>,
        WebhooksCoreModule,
      ],
    }).compile();
    await moduleRef.init();
    core = moduleRef;
    sut = core.get(WebhookDispatcher);
    queue = core.get(getQueueToken(QUEUES.webhooks));
    ({ db, close: closeDb } = connectTestDb());
  });

  afterAll(async () => {
    await core?.close();
    await closeDb?.();
  });

  it('creates one delivery per event, endpoint and type', async () => {
    const shop = await createTenantWithKeys(db);
    const endpoint = await endpointFor(shop, ['payment.updated', 'payment.succeeded']);
    const p = await paidPayment(shop);
    await sut.dispatch();

    const rows = await deliveriesOf(shop.tenantId);
    // created, awaiting_customer, succeeded as payment.updated; succeeded once more as itself.
    expect(rows.map((r) => r.eventType).sort()).toEqual([
      'payment.succeeded',
      'payment.updated',
      'payment.updated',
      'payment.updated',
    ]);
    expect(rows.every((r) => r.endpointId === endpoint.id)).toBe(true);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(4);
    const succeeded = rows.find((r) => r.eventType === 'payment.succeeded')!;
    expect(JSON.parse(succeeded.payload)).toMatchObject({
      id: succeeded.eventId,
      type: 'payment.succeeded',
      tenantId: shop.tenantId,
      data: { id: p.paymentId, status: 'succeeded', phone: p.phone, seq: expect.any(Number) },
    });
  });

  it('creates nothing new when dispatched again, concurrently, or after its cursor is lost', async () => {
    const shop = await createTenantWithKeys(db);
    await endpointFor(shop, ['payment.updated']);
    await paidPayment(shop);
    await Promise.all([sut.dispatch(), sut.dispatch(), sut.dispatch()]);
    const first = await deliveriesOf(shop.tenantId);
    expect(first).toHaveLength(3);

    await sut.dispatch();
    // A crash after inserting deliveries but before the cursor moved: the unique key holds.
    await db
      .update(schema.webhookCursors)
      .set({ eventSeq: 0 })
      .where(eq(schema.webhookCursors.tenantId, shop.tenantId));
    await sut.dispatch();
    expect(await deliveriesOf(shop.tenantId)).toHaveLength(3);
  });

  it('sends nothing to an endpoint about events committed before it existed', async () => {
    const shop = await createTenantWithKeys(db);
    await paidPayment(shop);
    await endpointFor(shop, ['payment.updated', 'payment.succeeded']);
    await sut.dispatch();
    expect(await deliveriesOf(shop.tenantId)).toHaveLength(0);
  });

  it('skips disabled endpoints and types they did not ask for', async () => {
    const shop = await createTenantWithKeys(db);
    const off = await endpointFor(shop, ['payment.succeeded']);
    await core.get(WebhookEndpointsRepository).update(shop.tenantId, off.id, { enabled: false });
    await endpointFor(shop, ['payment.failed']);
    await paidPayment(shop);
    await sut.dispatch();
    expect(await deliveriesOf(shop.tenantId)).toHaveLength(0);
  });

  it('turns a committed discrepancy into one discrepancy.opened delivery', async () => {
    const shop = await createTenantWithKeys(db);
    await endpointFor(shop, ['discrepancy.opened']);
    const p = await createAcceptedPayment(core, shop);
    const repo = core.get(PaymentsRepository);
    const id = await repo.db.transaction((tx) =>
      core.get(DiscrepanciesRepository).open(tx, asTenantId(shop.tenantId), {
        kind: 'amount_mismatch',
        paymentId: p.paymentId,
        attemptId: p.attemptId,
        evidence: { expected: 100, paid: 90 },
      }),
    );
    await sut.dispatch();
    await sut.dispatch();
    const rows = await deliveriesOf(shop.tenantId);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toMatchObject({
      type: 'discrepancy.opened',
      data: { id, kind: 'amount_mismatch', paymentId: p.paymentId, payment: { id: p.paymentId } },
    });
  });

  it('enqueues again a pending delivery whose job was lost', async () => {
    const shop = await createTenantWithKeys(db);
    await endpointFor(shop, ['payment.succeeded']);
    await paidPayment(shop);
    await sut.dispatch();
    const [row] = await deliveriesOf(shop.tenantId);
    await (await queue.getJob(row.id))!.remove();
    expect(await queue.getJob(row.id)).toBeUndefined();
    await db
      .update(schema.webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 60_000) })
      .where(eq(schema.webhookDeliveries.id, row.id));
    expect(await sut.requeueOverdue(1_000)).toBeGreaterThanOrEqual(1);
    expect((await queue.getJob(row.id))?.data).toEqual({
      deliveryId: row.id,
      tenantId: shop.tenantId,
    });
  });
});
