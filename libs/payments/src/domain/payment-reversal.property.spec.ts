import fc from 'fast-check';
import { aPaymentState, paymentEventArb } from '../../../../test/factories/payment-events.arb';
import { PAYMENT_STATUSES } from './payment-status';
import { transition } from './payment-state-machine';

const reversedEvent = { type: 'reversed' as const, receipt: 'QKH94M1Z11', reason: 'returned' };

describe('transition: reversed (issue 16)', () => {
  it('reverses only a succeeded payment, keeping its receipt and amount', () => {
    for (const status of PAYMENT_STATUSES) {
      const p = aPaymentState({ status, receipt: 'QKH94M1Z11', paidAmount: 100 });
      const t = transition(p, reversedEvent);
      if (status === 'succeeded') {
        expect(t).toMatchObject({ kind: 'applied', from: 'succeeded' });
        if (t.kind === 'applied') {
          expect(t.payment).toMatchObject({
            status: 'reversed',
            receipt: 'QKH94M1Z11',
            paidAmount: 100,
          });
          expect(t.payment.version).toBe(p.version + 1);
        }
      } else if (status === 'reversed') {
        expect(t.kind).toBe('duplicate');
      } else {
        expect(t.kind).toBe('rejected');
      }
    }
  });

  it('never leaves reversed, whatever arrives (a second reversal, a replayed success, anything)', () => {
    fc.assert(
      fc.property(fc.array(paymentEventArb, { maxLength: 30 }), (events) => {
        const p = aPaymentState({ status: 'reversed', receipt: 'QKH94M1Z11', paidAmount: 100 });
        for (const e of [reversedEvent, ...events]) {
          const t = transition(p, e);
          expect(t.kind).not.toBe('applied');
          if (e.type === 'paid' && e.receipt !== p.receipt) {
            expect(t).toMatchObject({ kind: 'ignored', discrepancy: 'double_payment' });
          }
        }
      }),
    );
  });
});
