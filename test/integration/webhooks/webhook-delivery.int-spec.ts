import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { TenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import {
  SsrfGuard,
  WebhookDeliveriesRepository,
  WebhookDeliveryService,
  WebhookEndpointsRepository,
  WebhookSecrets,
} from '@malipo/webhooks';
import { eq } from 'drizzle-orm';
import { connectTestDb, createTenantWithKeys } from '../../factories/tenancy';
import { startReceiver, type Answer, type Receiver } from '../../e2e/webhooks/receiver';

const ENV = {
  WEBHOOK_RETRY_WINDOW_SECONDS: '1',
  WEBHOOK_DISABLE_AFTER_SECONDS: '3600',
  WEBHOOK_TIMEOUT_MS: '300',
  WEBHOOK_RETRY_BASE_MS: '100',
};

describe(WebhookDeliveryService.name, () => {
  let loose: TestingModule;
  let strict: TestingModule;
  let db: Db;
  let closeDb: () => Promise<void>;
  const saved: Record<string, string | undefined> = {};
  const receivers: Receiver[] = [];

  async function boot(guard?: SsrfGuard): Promise<TestingModule> {
    const { AppConfigModule } = await import('@malipo/common');
    const { DbModule } = await import('@malipo/db');
    const { RedisModule, QueueModule } = await import('@malipo/queue');
    const { WebhooksCoreModule } = await import('@malipo/webhooks');
    let builder = Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(),
        DbModule,
        RedisModule,
        QueueModule,
        WebhooksCoreModule as Type<unknown>,
      ],
    });
    if (guard) builder = builder.overrideProvider(SsrfGuard).useValue(guard);
    const moduleRef = await builder.compile();
    await moduleRef.init();
    return moduleRef;
  }

  async function deliveryTo(core: TestingModule, script: Answer[]) {
    const shop = await createTenantWithKeys(db);
    const receiver = await startReceiver(script);
    receivers.push(receiver);
    const endpoint = await core.get(WebhookEndpointsRepository).insert(shop.tenantId, {
      url: receiver.url,
      description: null,
      eventTypes: ['payment.succeeded'],
      secretSealed: core.get(WebhookSecrets).create().sealed,
    });
    const repo = core.get(WebhookDeliveriesRepository);
    const [delivery] = await repo.insertNew(repo.db, [
      {
        tenantId: shop.tenantId,
        endpointId: endpoint.id,
        eventKey: `pe${Date.now()}`,
        eventId: 'evt_test',
        eventType: 'payment.succeeded',
        payload: '{"id":"evt_test"}',
      },
    ]);
    return { tenantId: shop.tenantId as TenantId, endpoint, delivery, receiver };
  }

  const endpointRow = async (id: string) =>
    (await db.select().from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.id, id)))[0];
  const deliveryRow = async (id: string) =>
    (
      await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.id, id))
    )[0];
  const attemptsOf = (id: string) =>
    db.select().from(schema.webhookAttempts).where(eq(schema.webhookAttempts.deliveryId, id));

  beforeAll(async () => {
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    loose = await boot();
    strict = await boot(new SsrfGuard({ allowLoopback: false, requireHttps: false }));
    ({ db, close: closeDb } = connectTestDb());
  });

  afterAll(async () => {
    await loose?.close();
    await strict?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await closeDb?.();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('retries a 500, then gives up once the retry window has passed', async () => {
    const sut = loose.get(WebhookDeliveryService);
    const { tenantId, endpoint, delivery } = await deliveryTo(loose, Array<Answer>(10).fill(500));
    expect(await sut.attempt(tenantId, delivery.id)).toMatchObject({
      kind: 'retry',
      error: 'HTTP 500',
    });
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await sut.attempt(tenantId, delivery.id)).toMatchObject({ kind: 'failed' });
    expect(await deliveryRow(delivery.id)).toMatchObject({ state: 'failed', attempts: 2 });
    expect((await attemptsOf(delivery.id)).map((a) => a.statusCode)).toEqual([500, 500]);
    const e = await endpointRow(endpoint.id);
    expect(e.enabled).toBe(true); // 1 s of failures is not the 3600 s that disables
    expect(e.failingSince).toBeInstanceOf(Date);
    expect(await sut.attempt(tenantId, delivery.id)).toEqual({ kind: 'skipped' });
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    const sut = loose.get(WebhookDeliveryService);
    const { tenantId, delivery } = await deliveryTo(loose, ['hang']);
    const outcome = await sut.attempt(tenantId, delivery.id);
    expect(outcome).toMatchObject({ kind: 'retry', error: expect.stringMatching(/300 ms/) });
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
    expect(attempt.statusCode).toBeNull();
  });

  it('clears the failing streak on success and ignores a delivery already done', async () => {
    const sut = loose.get(WebhookDeliveryService);
    const { tenantId, endpoint, delivery, receiver } = await deliveryTo(loose, [503]);
    await sut.attempt(tenantId, delivery.id);
    expect((await endpointRow(endpoint.id)).failingSince).toBeInstanceOf(Date);
    expect(await sut.attempt(tenantId, delivery.id)).toEqual({ kind: 'succeeded' });
    const e = await endpointRow(endpoint.id);
    expect(e.failingSince).toBeNull();
    expect(e.lastSuccessAt).toBeInstanceOf(Date);
    expect(await sut.attempt(tenantId, delivery.id)).toEqual({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(2);
  });

  it('checks the target again at delivery time and refuses a loopback one outside test mode', async () => {
    const sut = strict.get(WebhookDeliveryService);
    const { tenantId, delivery, receiver } = await deliveryTo(strict, []);
    const outcome = await sut.attempt(tenantId, delivery.id);
    expect(outcome).toMatchObject({ kind: 'retry', error: expect.stringMatching(/address/) });
    expect(receiver.received).toHaveLength(0);
  });

  it('ends a delivery of a disabled endpoint without sending it', async () => {
    const sut = loose.get(WebhookDeliveryService);
    const { tenantId, endpoint, delivery, receiver } = await deliveryTo(loose, []);
    await loose.get(WebhookEndpointsRepository).update(tenantId, endpoint.id, { enabled: false });
    expect(await sut.attempt(tenantId, delivery.id)).toMatchObject({
      kind: 'failed',
      error: 'disabled by the owner',
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('finds no delivery of another tenant', async () => {
    const sut = loose.get(WebhookDeliveryService);
    const { delivery, receiver } = await deliveryTo(loose, []);
    const other = await createTenantWithKeys(db);
    expect(await sut.attempt(other.tenantId, delivery.id)).toEqual({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(0);
  });
});
