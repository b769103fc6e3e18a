import fc from 'fast-check';
import { aPaymentState, paymentEventArb } from '../../../../test/factories/payment-events.arb';
import type { PaymentEvent } from './payment-event';
import { PAYMENT_STATUSES, isOpen, type PaymentStatus } from './payment-status';
import { transition } from './payment-state-machine';

const ENDED: PaymentStatus[] = PAYMENT_STATUSES.filter((s) => !isOpen(s));
/**
 * The only ways out of an ended state: money wins, a success is reversed, a new attempt, or the
 * cashier takes cash after a failure.
 */
const WAYS_OUT_OF_ENDED: PaymentEvent['type'][] = [
  'paid',
  'reversed',
  'retry_started',
  'cash_taken',
];
/** Attempt outcomes that end an attempt for good. */
const ENDS_ATTEMPT: PaymentEvent['type'][] = [
  'paid',
  'stk_rejected',
  'cancelled_by_customer',
  'failed',
  'timed_out',
];

describe('transition (properties)', () => {
  it('keeps ended states ended except for a success, a reversal or a retry; replays are no-ops', () => {
    fc.assert(
      fc.property(fc.array(paymentEventArb, { maxLength: 40 }), (events) => {
        let p = aPaymentState();
        for (const e of events) {
          const before = p;
          const r = transition(p, e);
          if (r.kind === 'applied') {
            if (ENDED.includes(before.status)) expect(WAYS_OUT_OF_ENDED).toContain(e.type);
            if (before.status === 'succeeded') expect(r.payment.status).toBe('reversed');
            expect(r.payment.version).toBe(before.version + 1);
            p = r.payment;
            if (e.type !== 'retry_started') expect(transition(p, e).kind).not.toBe('applied');
          } else {
            expect(p).toBe(before);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives every success a receipt and the amount paid, and never succeeds twice', () => {
    fc.assert(
      fc.property(fc.array(paymentEventArb, { maxLength: 40 }), (events) => {
        let p = aPaymentState();
        let successes = 0;
        for (const e of events) {
          const r = transition(p, e);
          if (r.kind !== 'applied') continue;
          if (r.payment.status === 'succeeded') successes += 1;
          p = r.payment;
          if (p.status === 'succeeded') {
            expect(p.receipt).toEqual(expect.any(String));
            expect(p.paidAmount).toBe(100);
          }
        }
        expect(successes).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes cash only after a failed, cancelled or expired prompt; M-Pesa after cash is a double payment', () => {
    for (const status of PAYMENT_STATUSES) {
      const r = transition(aPaymentState({ status }), { type: 'cash_taken', reason: 'cash' });
      const allowed = ['failed', 'cancelled', 'expired'].includes(status);
      expect(r.kind).toBe(allowed ? 'applied' : status === 'paid_cash' ? 'duplicate' : 'rejected');
    }
    const paid = transition(aPaymentState({ status: 'paid_cash' }), {
      type: 'paid',
      attemptId: 'a1',
      receipt: 'QKH94M1Z12',
      amount: 100,
      paidAt: '2026-11-22T10:00:00Z',
    });
    expect(paid).toMatchObject({ kind: 'applied', discrepancy: 'double_payment' });
  });

  it('records a discrepancy whenever a success overrides an ended payment', () => {
    fc.assert(
      fc.property(fc.constantFrom<PaymentStatus>('expired', 'failed', 'cancelled'), (status) => {
        const r = transition(aPaymentState({ status }), {
          type: 'paid',
          attemptId: 'a1',
          receipt: 'QKH94M1Z11',
          amount: 100,
          paidAt: '2026-11-22T10:00:00Z',
        });
        expect(r.kind).toBe('applied');
        expect(r.kind === 'applied' && r.discrepancy).toBe(
          status === 'cancelled' ? 'paid_after_cancel' : 'late_success',
        );
      }),
    );
  });

  it('never has two live attempts when retries are only started after the previous attempt ended', () => {
    fc.assert(
      fc.property(fc.array(paymentEventArb, { maxLength: 40 }), (events) => {
        let p = aPaymentState();
        const live = new Set<string>(['a1']);
        const used = new Set<string>(['a1']);
        for (const raw of events) {
          // The service derives previousAttemptFinal from the attempt row; model that truthfully.
          const e: PaymentEvent =
            raw.type === 'retry_started'
              ? { ...raw, previousAttemptFinal: !live.has(p.currentAttemptId ?? '') }
              : raw;
          if (e.type === 'retry_started' && used.has(e.attemptId)) continue; // attempt ids are fresh
          const r = transition(p, e);
          if (ENDS_ATTEMPT.includes(e.type) && 'attemptId' in e) live.delete(e.attemptId);
          if (r.kind !== 'applied') continue;
          if (e.type === 'retry_started') {
            live.add(e.attemptId);
            used.add(e.attemptId);
          }
          p = r.payment;
          expect(live.size).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores non-payment news about an attempt that is no longer current', () => {
    const p = aPaymentState({ status: 'awaiting_customer', currentAttemptId: 'a2' });
    const r = transition(p, {
      type: 'failed',
      attemptId: 'a1',
      code: '1',
      message: 'x',
      retryable: true,
    });
    expect(r.kind).toBe('ignored');
  });

  it('refuses a retry while the previous attempt may still be answered', () => {
    const p = aPaymentState({ status: 'cancelled' });
    const r = transition(p, {
      type: 'retry_started',
      attemptId: 'a2',
      previousAttemptFinal: false,
    });
    expect(r.kind).toBe('rejected');
  });
});
