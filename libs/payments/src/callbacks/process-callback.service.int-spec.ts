import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { schema, type Db } from '@malipo/db';
import { and, eq } from 'drizzle-orm';
import {
  aReceipt,
  createAcceptedPayment,
  stkCallbackBody,
  type AcceptedPayment,
} from '../../../../test/factories/payments';
import { PaymentEventsBus } from '../application/payment-events.bus';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { CallbackInboxRepository } from './callback-inbox.repository';
import { ProcessCallbackService } from './process-callback.service';
import { paymentsContext, type PaymentsContext } from '../../../../test/support/payments-context';

describe(ProcessCallbackService.name, () => {
  let ctx: PaymentsContext;
  let app: INestApplicationContext;
  let sut: ProcessCallbackService;
  let repo: PaymentsRepository;
  let inbox: CallbackInboxRepository;
  let db: Db;
  let shop: PaymentsContext['shop'];

  beforeAll(async () => {
    ctx = await paymentsContext('reconcile');
    ({ app, db, shop } = ctx);
    sut = app.get(ProcessCallbackService);
    repo = app.get(PaymentsRepository);
    inbox = app.get(CallbackInboxRepository);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => ctx?.close());

  const store = async (attemptId: string, body: unknown): Promise<string> =>
    (
      await inbox.insert({
        tenantId: shop.tenantId,
        attemptId,
        sourceIp: '196.201.214.200',
        headers: {},
        rawBody: JSON.stringify(body),
        state: 'received',
      })
    ).id;
  const payment = async (p: AcceptedPayment) =>
    repo.findPayment(repo.db, shop.tenantId, p.paymentId);
  const inboxState = async (id: string) => (await inbox.find(shop.tenantId, id))?.state;
  const kinds = async (p: AcceptedPayment) =>
    (
      await db
        .select({ kind: schema.discrepancies.kind })
        .from(schema.discrepancies)
        .where(
          and(
            eq(schema.discrepancies.tenantId, shop.tenantId),
            eq(schema.discrepancies.attemptId, p.attemptId),
          ),
        )
    ).map((d) => d.kind);

  it('applies a success once: the payment succeeds with its receipt, and a second run changes nothing', async () => {
    const p = await createAcceptedPayment(app, shop);
    const receipt = aReceipt();
    const id = await store(p.attemptId, stkCallbackBody(p, { receipt }));
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('processed');
    expect(await payment(p)).toMatchObject({ status: 'succeeded', receipt, paidAmount: p.amount });
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('skipped');
    const events = await repo.listEvents(repo.db, shop.tenantId, p.paymentId);
    expect(events.map((e) => e.type)).toEqual(['created', 'stk_accepted', 'paid']);
  });

  it('takes a callback that beats the push answer as proof that Daraja accepted the push', async () => {
    const p = await createAcceptedPayment(app, shop, { accept: false });
    const id = await store(p.attemptId, stkCallbackBody(p, { resultCode: 1032 }));
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('processed');
    expect((await payment(p))?.status).toBe('cancelled');
    const attempt = await repo.findAttempt(repo.db, shop.tenantId, p.attemptId);
    expect(attempt).toMatchObject({
      state: 'final',
      outcome: 'cancelled_by_customer',
      checkoutRequestId: p.checkoutRequestId,
    });
  });

  it('keeps a success whose amount does not match, flags it, and never marks the payment paid', async () => {
    const p = await createAcceptedPayment(app, shop);
    const id = await store(p.attemptId, stkCallbackBody(p, { amount: p.amount - 1 }));
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('rejected');
    expect((await payment(p))?.status).toBe('awaiting_customer');
    expect(await inboxState(id)).toBe('rejected');
    expect(await kinds(p)).toEqual(['amount_mismatch']);
  });

  it('flags a callback for an attempt nobody knows as an orphan', async () => {
    const attemptId = randomUUID();
    const id = await store(attemptId, stkCallbackBody({ ...aFake(), amount: 10 }));
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('rejected');
    const rows = await db
      .select()
      .from(schema.discrepancies)
      .where(eq(schema.discrepancies.attemptId, attemptId));
    expect(rows).toMatchObject([{ kind: 'orphan_callback', paymentId: null }]);
  });

  it('rolls the payment change back with its inbox row, announces nothing, and applies it on the next run', async () => {
    const p = await createAcceptedPayment(app, shop);
    const id = await store(p.attemptId, stkCallbackBody(p));
    const publish = jest.spyOn(app.get(PaymentEventsBus), 'publish');
    jest.spyOn(inbox, 'mark').mockRejectedValueOnce(new Error('connection lost'));
    await expect(sut.process(shop.tenantId, id)).rejects.toThrow('connection lost');
    expect((await payment(p))?.status).toBe('awaiting_customer');
    expect(await inboxState(id)).toBe('received');
    expect(publish).not.toHaveBeenCalled();
    await expect(sut.process(shop.tenantId, id)).resolves.toBe('processed');
    expect((await payment(p))?.status).toBe('succeeded');
    expect(publish).toHaveBeenCalledTimes(1);
  });
});

function aFake() {
  return {
    checkoutRequestId: `ws_CO_${randomUUID()}`,
    merchantRequestId: `m-${randomUUID()}`,
    phone: '254712345678',
  };
}
