import fc from 'fast-check';
import type { INestApplicationContext } from '@nestjs/common';
import { schema, type Db } from '@malipo/db';
import { and, eq } from 'drizzle-orm';
import { aReceipt, createAcceptedPayment } from '../../../../test/factories/payments';
import { discrepancyKey, type DiscrepancyKind, type PaymentEvent } from '../domain';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { PaymentService } from './payment.service';
import { paymentsContext, type PaymentsContext } from '../../../../test/support/payments-context';

type Path = 'apply' | 'direct';
interface Report {
  kind: Extract<DiscrepancyKind, 'unconfirmed_outcome' | 'double_payment'>;
  attempt: 0 | 1;
  receipt: 0 | 1;
  path: Path;
}

const reportArb: fc.Arbitrary<Report> = fc.record({
  kind: fc.constantFrom('unconfirmed_outcome' as const, 'double_payment' as const),
  attempt: fc.constantFrom(0 as const, 1 as const),
  receipt: fc.constantFrom(0 as const, 1 as const),
  path: fc.constantFrom<Path>('apply', 'direct'),
});

describe('discrepancies (one opener, one key)', () => {
  let ctx: PaymentsContext;
  let app: INestApplicationContext;
  let payments: PaymentService;
  let repo: PaymentsRepository;
  let db: Db;
  let shop: PaymentsContext['shop'];

  beforeAll(async () => {
    ctx = await paymentsContext('core');
    ({ app, db, shop } = ctx);
    payments = app.get(PaymentService);
    repo = app.get(PaymentsRepository);
  });

  afterAll(() => ctx?.close());

  /** A succeeded payment with a second attempt row, so both kinds can be told about either. */
  async function paidPayment(): Promise<{ paymentId: string; attemptIds: string[] }> {
    const p = await createAcceptedPayment(app, shop);
    const paid: PaymentEvent = {
      type: 'paid',
      attemptId: p.attemptId,
      receipt: aReceipt(),
      amount: p.amount,
      paidAt: new Date().toISOString(),
    };
    await payments.apply(shop.tenantId, p.paymentId, paid, { source: 'callback' });
    const row = await repo.findPayment(repo.db, shop.tenantId, p.paymentId);
    const second = crypto.randomUUID();
    await repo.db.transaction((tx) =>
      repo.insertAttemptRow(tx, shop.tenantId, row!, second, 2, 'final'),
    );
    return { paymentId: p.paymentId, attemptIds: [p.attemptId, second] };
  }

  /** The event through which PaymentService.apply reports the fact (reconciler, callbacks). */
  const eventFor = (r: Report, attemptId: string, receipt: string): PaymentEvent =>
    r.kind === 'double_payment'
      ? { type: 'paid', attemptId, receipt, amount: 100, paidAt: new Date().toISOString() }
      : { type: 'outcome_unconfirmed', attemptId, detail: 'no answer' };

  it('opens one discrepancy per fact, however often and by whichever path it is told', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reportArb, { minLength: 1, maxLength: 8 }), async (reports) => {
        const { paymentId, attemptIds } = await paidPayment();
        const receipts = [aReceipt(), aReceipt()];
        const facts = new Set<string>();
        for (const r of reports) {
          const attemptId = attemptIds[r.attempt];
          // Only a success carries a receipt; the other kind is about the attempt alone.
          const receipt = r.kind === 'double_payment' ? receipts[r.receipt] : null;
          // A receipt told in another case is the same receipt.
          const told = r.path === 'direct' && receipt ? receipt.toLowerCase() : receipt;
          facts.add(discrepancyKey({ kind: r.kind, paymentId, attemptId, receipt }));
          if (r.path === 'apply') {
            await payments.apply(shop.tenantId, paymentId, eventFor(r, attemptId, receipt ?? ''), {
              source: 'reconciler',
            });
          } else {
            await app.get(DiscrepanciesRepository).open(repo.db, shop.tenantId, {
              kind: r.kind,
              paymentId,
              attemptId,
              receipt: told,
              evidence: { source: 'callback' },
            });
          }
        }
        const rows = await db
          .select()
          .from(schema.discrepancies)
          .where(
            and(
              eq(schema.discrepancies.tenantId, shop.tenantId),
              eq(schema.discrepancies.paymentId, paymentId),
            ),
          );
        expect(rows).toHaveLength(facts.size);
      }),
      { numRuns: 25 },
    );
  });
});
