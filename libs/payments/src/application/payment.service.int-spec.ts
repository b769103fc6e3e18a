import fc from 'fast-check';
import type { INestApplicationContext } from '@nestjs/common';
import { asTenantId, type TenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { eq, sql } from 'drizzle-orm';
import { bootPaymentsCore } from '../../../../test/support/nest-apps';
import { connectTestDb, createTenantWithKeys } from '../../../../test/factories/tenancy';
import { paymentEventArb } from '../../../../test/factories/payment-events.arb';
import { transition, type PaymentEvent, type PaymentState } from '../domain';
import { toPaymentState } from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { PaymentService } from './payment.service';

describe(PaymentService.name, () => {
  let app: INestApplicationContext;
  let sut: PaymentService;
  let repo: PaymentsRepository;
  let db: Db;
  let close: () => Promise<void>;
  let tenantId: TenantId;
  let channelId: string;

  beforeAll(async () => {
    app = await bootPaymentsCore();
    sut = app.get(PaymentService);
    repo = app.get(PaymentsRepository);
    ({ db, close } = connectTestDb());
    const t = await createTenantWithKeys(db);
    tenantId = asTenantId(t.tenantId);
    channelId = t.channelId;
  });

  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  async function newPayment(): Promise<{ paymentId: string; attemptIds: string[] }> {
    const { payment, attemptId } = await repo.db.transaction((tx) =>
      repo.insertPaymentWithAttempt(tx, tenantId, 120, {
        channelId,
        terminalId: null,
        orderRef: `O-${Math.random().toString(36).slice(2)}`,
        amount: 100,
        phone: '254712345678',
        description: null,
      }),
    );
    // Spare attempts a1..a3 of the arbitrary map onto real attempt rows of this payment.
    const extra = [2, 3].map(() => crypto.randomUUID());
    for (const [i, id] of extra.entries()) {
      await repo.db.transaction((tx) =>
        repo.insertAttemptRow(tx, tenantId, payment, id, i + 2, 'final'),
      );
    }
    return { paymentId: payment.id, attemptIds: [attemptId, ...extra] };
  }

  const toReal = (e: PaymentEvent, ids: string[]): PaymentEvent => {
    const map: Record<string, string> = { a1: ids[0], a2: ids[1], a3: ids[2] };
    const receipt = 'receipt' in e ? `${e.receipt}${ids[0].slice(0, 4)}`.toUpperCase() : undefined;
    if (e.type === 'retry_started') return { ...e, attemptId: map[e.attemptId] ?? e.attemptId };
    // CheckoutRequestIDs are unique across all attempts: make the arbitrary's per payment.
    if (e.type === 'stk_accepted') {
      return {
        ...e,
        attemptId: map[e.attemptId] ?? e.attemptId,
        checkoutRequestId: `${e.checkoutRequestId}-${ids[0]}`,
      };
    }
    const withAttempt = 'attemptId' in e ? { ...e, attemptId: map[e.attemptId] ?? e.attemptId } : e;
    return receipt ? ({ ...withAttempt, receipt } as PaymentEvent) : withAttempt;
  };

  it('keeps the database consistent under concurrent arbitrary events (model-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(paymentEventArb, { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (batches) => {
          const { paymentId, attemptIds } = await newPayment();
          for (const batch of batches) {
            // Each batch races: the row lock and version CAS must serialise them.
            await Promise.all(
              batch.map((e) =>
                sut
                  .apply(tenantId, paymentId, toReal(e, attemptIds), { source: 'reconciler' })
                  .catch((err: Error) => err),
              ),
            );
          }
          const payment = (
            await db.select().from(schema.payments).where(eq(schema.payments.id, paymentId))
          )[0];
          const events = await db
            .select()
            .from(schema.paymentEvents)
            .where(eq(schema.paymentEvents.paymentId, paymentId));
          // Exactly one event per state change (plus the creation event).
          expect(events).toHaveLength(payment.version + 1);
          const chain = events.sort((a, b) => a.seq - b.seq);
          for (let i = 1; i < chain.length; i++) {
            expect(chain[i].fromStatus).toBe(chain[i - 1].toStatus);
          }
          expect(chain[chain.length - 1].toStatus).toBe(payment.status);
          if (payment.status === 'succeeded') {
            expect(payment.receipt).toEqual(expect.any(String));
            expect(payment.paidAmount).toBe(100);
          }
          const live = await db.execute(
            sql`select count(*)::int as n from payment_attempts where payment_id = ${paymentId} and state in ('pending','accepted','unknown')`,
          );
          expect((live.rows[0] as { n: number }).n).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('matches the pure model command by command, and stays consistent under concurrent bursts (fc.commands)', async () => {
    interface Model {
      state: PaymentState;
    }
    interface Real {
      paymentId: string;
      attemptIds: string[];
    }
    const readPayment = async (r: Real) =>
      (await db.select().from(schema.payments).where(eq(schema.payments.id, r.paymentId)))[0];
    const checkLedger = async (r: Real) => {
      const payment = await readPayment(r);
      const events = await db
        .select()
        .from(schema.paymentEvents)
        .where(eq(schema.paymentEvents.paymentId, r.paymentId));
      expect(events).toHaveLength(payment.version + 1);
      return payment;
    };

    class ApplyOne implements fc.AsyncCommand<Model, Real> {
      constructor(readonly event: PaymentEvent) {}
      check = () => true;
      async run(m: Model, r: Real): Promise<void> {
        const real = toReal(this.event, r.attemptIds);
        await sut
          .apply(tenantId, r.paymentId, real, { source: 'reconciler' })
          .catch((e: Error) => e);
        const expected = transition(m.state, real);
        if (expected.kind === 'applied') m.state = expected.payment;
        const payment = await checkLedger(r);
        expect([payment.status, payment.version, payment.receipt]).toEqual([
          m.state.status,
          m.state.version,
          m.state.receipt,
        ]);
      }
      toString = () => `apply(${this.event.type})`;
    }

    class Burst implements fc.AsyncCommand<Model, Real> {
      constructor(readonly events: PaymentEvent[]) {}
      check = () => true;
      async run(m: Model, r: Real): Promise<void> {
        await Promise.all(
          this.events.map((e) =>
            sut
              .apply(tenantId, r.paymentId, toReal(e, r.attemptIds), { source: 'callback' })
              .catch((err: Error) => err),
          ),
        );
        // Order is up to the database; the ledger must still be whole. Re-sync the model from it.
        m.state = toPaymentState(await checkLedger(r));
      }
      toString = () => `burst(${this.events.map((e) => e.type).join(',')})`;
    }

    const commands = [
      paymentEventArb.map((e) => new ApplyOne(e)),
      fc.array(paymentEventArb, { minLength: 2, maxLength: 5 }).map((es) => new Burst(es)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const real = await newPayment();
        const initial = toPaymentState(await readPayment(real));
        await fc.asyncModelRun(() => ({ model: { state: initial }, real }), cmds);
      }),
      { numRuns: 25 },
    );
  });

  it('applies to rows read without a lock exactly as the locked path would, whatever moved since (fast-check)', async () => {
    const eventsOf = async (paymentId: string) =>
      (await repo.listEvents(repo.db, tenantId, paymentId)).length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(paymentEventArb, { maxLength: 3 }),
        paymentEventArb,
        async (meanwhile, last) => {
          const { paymentId, attemptIds } = await newPayment();
          const event = toReal(last, attemptIds);
          const attemptId = 'attemptId' in event ? event.attemptId : attemptIds[0];
          const read = {
            payment: (await repo.findPayment(repo.db, tenantId, paymentId))!,
            attempt: (await repo.findAttempt(repo.db, tenantId, attemptId))!,
          };
          for (const e of meanwhile.map((m) => toReal(m, attemptIds))) {
            await sut.apply(tenantId, paymentId, e, { source: 'api' }).catch(() => undefined);
          }
          const now = toPaymentState((await repo.findPayment(repo.db, tenantId, paymentId))!);
          const eventsBefore = await eventsOf(paymentId);
          const expected = transition(now, event);
          await sut.applyAsRead(tenantId, read, event, { source: 'api' }).catch(() => undefined);
          const after = toPaymentState((await repo.findPayment(repo.db, tenantId, paymentId))!);
          const applied = expected.kind === 'applied';
          expect(after).toEqual(applied ? { ...expected.payment, paidAt: after.paidAt } : now);
          expect(await eventsOf(paymentId)).toBe(eventsBefore + (applied ? 1 : 0));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('does not write over a payment that moved while its attempt stayed as read', async () => {
    const { paymentId, attemptIds } = await newPayment();
    const [a1] = attemptIds;
    const accepted: PaymentEvent = {
      type: 'stk_accepted',
      attemptId: a1,
      merchantRequestId: 'm',
      checkoutRequestId: `ws_CO_${paymentId}`,
    };
    await sut.apply(tenantId, paymentId, accepted, { source: 'api' });
    const read = {
      payment: (await repo.findPayment(repo.db, tenantId, paymentId))!,
      attempt: (await repo.findAttempt(repo.db, tenantId, a1))!,
    };
    // The payment moves; the attempt does not (a cashier's cancel names no attempt).
    await sut.apply(
      tenantId,
      paymentId,
      { type: 'cashier_cancelled', reason: 'left' },
      {
        source: 'cashier',
      },
    );
    const failed: PaymentEvent = {
      type: 'failed',
      attemptId: a1,
      code: '1',
      message: 'insufficient funds',
      retryable: true,
    };
    const result = await sut.applyAsRead(tenantId, read, failed, { source: 'api' });
    expect(result.transition.kind).not.toBe('applied');
    expect((await repo.findPayment(repo.db, tenantId, paymentId))!.status).toBe('cancelled');
  });

  it('gives every event of a tenant a unique, gap-free sequence number', async () => {
    const rows = await db
      .select({ seq: schema.paymentEvents.seq })
      .from(schema.paymentEvents)
      .where(eq(schema.paymentEvents.tenantId, tenantId));
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs.length).toBeGreaterThan(0);
    seqs.forEach((s, i) => expect(s).toBe(i + 1));
  });

  it('applies a replayed callback once', async () => {
    const { paymentId, attemptIds } = await newPayment();
    const accepted: PaymentEvent = {
      type: 'stk_accepted',
      attemptId: attemptIds[0],
      merchantRequestId: 'm',
      checkoutRequestId: `ws_CO_${paymentId}`,
    };
    await sut.apply(tenantId, paymentId, accepted, { source: 'api' });
    const paid: PaymentEvent = {
      type: 'paid',
      attemptId: attemptIds[0],
      receipt: `R${paymentId.slice(0, 9)}`.toUpperCase(),
      amount: 100,
      paidAt: new Date().toISOString(),
    };
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => sut.apply(tenantId, paymentId, paid, { source: 'callback' })),
    );
    expect(results.filter((r) => r.transition.kind === 'applied')).toHaveLength(1);
    const events = await db
      .select()
      .from(schema.paymentEvents)
      .where(eq(schema.paymentEvents.paymentId, paymentId));
    expect(events.filter((e) => e.toStatus === 'succeeded')).toHaveLength(1);
  });

  it('never lets another tenant change a payment', async () => {
    const { paymentId, attemptIds } = await newPayment();
    const other = await createTenantWithKeys(db);
    await expect(
      sut.apply(
        asTenantId(other.tenantId),
        paymentId,
        { type: 'stk_unknown', attemptId: attemptIds[0], reason: 'x' },
        { source: 'api' },
      ),
    ).rejects.toMatchObject({ code: 'PAYMENT.NOT_FOUND' });
  });
});
