import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { asTenantId, type TenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { eq, sql } from 'drizzle-orm';
import { bootPaymentsCore } from '../../../../test/support/nest-apps';
import { connectTestDb, createTenantWithKeys } from '../../../../test/factories/tenancy';
import { createAcceptedPayment } from '../../../../test/factories/payments';
import { IdempotencyService, requestHash, type IdempotencyScope } from './idempotency.service';

describe(IdempotencyService.name, () => {
  let app: INestApplicationContext;
  let sut: IdempotencyService;
  let db: Db;
  let close: () => Promise<void>;
  let shop: { tenantId: TenantId; channelId: string };

  beforeAll(async () => {
    app = await bootPaymentsCore();
    sut = app.get(IdempotencyService);
    ({ db, close } = connectTestDb());
    const t = await createTenantWithKeys(db);
    shop = { tenantId: asTenantId(t.tenantId), channelId: t.channelId };
  });

  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  const aScope = (): IdempotencyScope => ({
    tenantId: shop.tenantId,
    scope: 'payments.create',
    key: randomUUID(),
  });
  const hash = requestHash({ orderRef: 'A-1', amount: 100 });
  const lapse = (s: IdempotencyScope) =>
    db
      .update(schema.idempotencyKeys)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(schema.idempotencyKeys.key, s.key));

  it('lets exactly one of many concurrent requests with one key begin', async () => {
    const s = aScope();
    const starts = await Promise.allSettled(Array.from({ length: 10 }, () => sut.begin(s, hash)));
    const began = starts.filter((r) => r.status === 'fulfilled');
    expect(began).toEqual([{ status: 'fulfilled', value: { kind: 'new' } }]);
    for (const r of starts.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'IDEMPOTENCY.IN_PROGRESS',
      });
    }
  });

  it('replays the stored answer once complete, and refuses the key with another body', async () => {
    const s = aScope();
    await sut.begin(s, hash);
    await sut.complete(s, 201, { id: 'p-1', status: 'awaiting_customer' });
    await expect(sut.begin(s, hash)).resolves.toEqual({
      kind: 'replay',
      status: 201,
      body: { id: 'p-1', status: 'awaiting_customer' },
    });
    await expect(sut.begin(s, requestHash({ orderRef: 'A-1', amount: 101 }))).rejects.toMatchObject(
      {
        code: 'IDEMPOTENCY.KEY_REUSED',
      },
    );
  });

  it('gives a key back when its request failed before any side effect', async () => {
    const s = aScope();
    await sut.begin(s, hash);
    await sut.release(s);
    await expect(sut.begin(s, hash)).resolves.toEqual({ kind: 'new' });
  });

  it('resumes the payment of a request that stopped after creating it, once its lock lapsed', async () => {
    const s = aScope();
    await sut.begin(s, hash);
    const p = await createAcceptedPayment(app, shop);
    await db.transaction((tx) => sut.attachPayment(tx, s, p.paymentId));
    await expect(sut.begin(s, hash)).rejects.toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
    await lapse(s);
    await expect(sut.begin(s, hash)).resolves.toEqual({ kind: 'resume', paymentId: p.paymentId });
    // The taker holds the key now: a third request waits again.
    await expect(sut.begin(s, hash)).rejects.toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
  });

  it('resumes at once after unlock, which a failure after the payment committed calls', async () => {
    const s = aScope();
    await sut.begin(s, hash);
    const p = await createAcceptedPayment(app, shop);
    await db.transaction((tx) => sut.attachPayment(tx, s, p.paymentId));
    await sut.unlock(s);
    await expect(sut.begin(s, hash)).resolves.toEqual({ kind: 'resume', paymentId: p.paymentId });
  });

  it('starts afresh when the stored answer has expired', async () => {
    const s = aScope();
    await sut.begin(s, hash);
    await sut.complete(s, 201, { id: 'old' });
    await db
      .update(schema.idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(schema.idempotencyKeys.key, s.key));
    await expect(sut.begin(s, requestHash({ other: true }))).resolves.toEqual({ kind: 'new' });
  });
});
