import { randomUUID } from 'node:crypto';
import { schema, type Db } from '@malipo/db';
import { eq, sql } from 'drizzle-orm';
import { createAcceptedPayment } from '../../../../test/factories/payments';
import { IdempotencyService, requestHash, type IdempotencyScope } from './idempotency.service';
import { paymentsContext, type PaymentsContext } from '../../../../test/support/payments-context';

describe(IdempotencyService.name, () => {
  let ctx: PaymentsContext;
  let sut: IdempotencyService;
  let db: Db;
  let shop: PaymentsContext['shop'];

  beforeAll(async () => {
    ctx = await paymentsContext('core');
    ({ db, shop } = ctx);
    sut = ctx.app.get(IdempotencyService);
  });

  afterAll(() => ctx?.close());

  /** A key whose first request created a payment and stopped before answering. */
  async function keyWithPayment(): Promise<{ s: IdempotencyScope; paymentId: string }> {
    const s = aScope();
    await sut.begin(s, hash);
    const p = await createAcceptedPayment(ctx.app, shop);
    await db.transaction((tx) => sut.attachPayment(tx, s, p.paymentId));
    return { s, paymentId: p.paymentId };
  }

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
    const { s, paymentId } = await keyWithPayment();
    await expect(sut.begin(s, hash)).rejects.toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
    await lapse(s);
    await expect(sut.begin(s, hash)).resolves.toEqual({ kind: 'resume', paymentId });
    // The taker holds the key now: a third request waits again.
    await expect(sut.begin(s, hash)).rejects.toMatchObject({ code: 'IDEMPOTENCY.IN_PROGRESS' });
  });

  it('resumes at once after unlock, which a failure after the payment committed calls', async () => {
    const { s, paymentId } = await keyWithPayment();
    await sut.unlock(s);
    await expect(sut.begin(s, hash)).resolves.toEqual({ kind: 'resume', paymentId });
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
