import type { INestApplicationContext } from '@nestjs/common';
import { schema, type Db } from '@malipo/db';
import { and, eq, sql } from 'drizzle-orm';
import { createAcceptedPayment } from '../../../../test/factories/payments';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { AttemptRow, PaymentRow } from '../infrastructure/payment-rows';
import { PaymentService } from '../application/payment.service';
import { ReconcileService } from './reconcile.service';
import { ReconcileDeadlinesService } from './reconcile-deadlines.service';
import { ReconcileStatement } from './reconcile-statement.service';
import { paymentsContext, type PaymentsContext } from '../../../../test/support/payments-context';

/** Stands for a process killed between two statements: the second one never commits. */
const killed = () => new Error('killed between the steps');

describe(ReconcileService.name, () => {
  let ctx: PaymentsContext;
  let app: INestApplicationContext;
  let sut: ReconcileService;
  let repo: PaymentsRepository;
  let db: Db;
  let shop: PaymentsContext['shop'];

  beforeAll(async () => {
    ctx = await paymentsContext('reconcile');
    ({ app, db, shop } = ctx);
    sut = app.get(ReconcileService);
    repo = app.get(PaymentsRepository);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => ctx?.close());

  const attempt = async (id: string): Promise<AttemptRow> =>
    (await repo.findAttempt(repo.db, shop.tenantId, id)) as AttemptRow;
  const payment = async (id: string): Promise<PaymentRow> =>
    (await repo.findPayment(repo.db, shop.tenantId, id)) as PaymentRow;
  const discrepancies = (attemptId: string) =>
    db
      .select()
      .from(schema.discrepancies)
      .where(
        and(
          eq(schema.discrepancies.tenantId, shop.tenantId),
          eq(schema.discrepancies.attemptId, attemptId),
        ),
      );
  const moveDeadline = async (p: { paymentId: string; attemptId: string }, by: string) => {
    await db.execute(
      sql`update payment_attempts set deadline_at = now() - ${by}::interval,
          push_sent_at = now() - ${by}::interval - interval '1 hour' where id = ${p.attemptId}`,
    );
    await db.execute(
      sql`update payments set deadline_at = now() - ${by}::interval where id = ${p.paymentId}`,
    );
  };

  it('gives up in one transaction: killed before the discrepancy, nothing changed; rerun, the attempt ends unconfirmed with one discrepancy', async () => {
    const p = await createAcceptedPayment(app, shop);
    await moveDeadline(p, '3 days'); // past the grace window
    jest.spyOn(app.get(DiscrepanciesRepository), 'open').mockRejectedValueOnce(killed());

    await expect(sut.processAttempt(await attempt(p.attemptId))).rejects.toThrow('killed');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'accepted', finalizedAt: null });
    expect(await discrepancies(p.attemptId)).toHaveLength(0);

    await expect(sut.processAttempt(await attempt(p.attemptId))).resolves.toBe('gave_up');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'final', outcome: 'unconfirmed' });
    expect(await discrepancies(p.attemptId)).toMatchObject([{ kind: 'unconfirmed_outcome' }]);
    await expect(sut.processAttempt(await attempt(p.attemptId))).resolves.toBe('settled');
    expect(await discrepancies(p.attemptId)).toHaveLength(1);
  });

  it('records "unconfirmed" in one transaction: killed before the discrepancy, the look is not counted either; told twice, one discrepancy', async () => {
    const p = await createAcceptedPayment(app, shop, { accept: false });
    const tenantId = shop.tenantId;
    await repo.markPushSent(tenantId, p.attemptId, new Date());
    await app.get(PaymentService).apply(
      tenantId,
      p.paymentId,
      { type: 'stk_unknown', attemptId: p.attemptId, reason: 'lost' },
      {
        source: 'api',
      },
    );
    await moveDeadline(p, '1 minute'); // past the deadline, inside the grace window
    jest
      .spyOn(app.get(ReconcileStatement), 'settle')
      .mockResolvedValue({ settled: false, reason: 'no statement row', candidates: 0 });
    jest.spyOn(app.get(DiscrepanciesRepository), 'open').mockRejectedValueOnce(killed());

    await expect(sut.processAttempt(await attempt(p.attemptId))).rejects.toThrow('killed');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'unknown', queryCount: 0 });
    expect(await discrepancies(p.attemptId)).toHaveLength(0);

    await expect(sut.processAttempt(await attempt(p.attemptId))).resolves.toBe('transient');
    await expect(sut.processAttempt(await attempt(p.attemptId))).resolves.toBe('transient');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'unknown', queryCount: 2 });
    expect((await payment(p.paymentId)).status).toBe('unknown');
    expect(await discrepancies(p.attemptId)).toMatchObject([{ kind: 'unconfirmed_outcome' }]);
  });

  it('expires in one transaction: killed before the event is written, the never-pushed attempt stays pending; rerun, both end together', async () => {
    const p = await createAcceptedPayment(app, shop, { accept: false });
    await moveDeadline(p, '1 minute');
    const deadlines = app.get(ReconcileDeadlinesService);
    const expire = (row: PaymentRow, a: AttemptRow) => deadlines.expire(row, a);
    jest.spyOn(repo, 'writeChange').mockRejectedValueOnce(killed());

    await expect(expire(await payment(p.paymentId), await attempt(p.attemptId))).rejects.toThrow();
    expect((await payment(p.paymentId)).status).toBe('created');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'pending', finalizedAt: null });

    await expect(expire(await payment(p.paymentId), await attempt(p.attemptId))).resolves.toBe(
      true,
    );
    expect((await payment(p.paymentId)).status).toBe('expired');
    expect(await attempt(p.attemptId)).toMatchObject({ state: 'final', outcome: 'not_sent' });
  });
});
