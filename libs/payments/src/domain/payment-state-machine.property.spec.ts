import fc from 'fast-check';
import { aPaymentState, paymentEventArb } from '../../../../test/factories/payment-events.arb';
import type { PaymentEvent } from './payment-event';
import type { PaymentState } from './payment';
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

/**
 * Progress, not only safety: where DESIGN.md says an event moves a payment, it does, from every
 * state a payment can reach (whatever its version, attempts, receipt or failure record).
 */
const MUST_APPLY: Partial<Record<PaymentEvent['type'], readonly PaymentStatus[]>> = {
  stk_accepted: ['created', 'unknown'],
  stk_rejected: ['created', 'unknown'],
  stk_unknown: ['created'],
  paid: PAYMENT_STATUSES.filter((s) => s !== 'succeeded' && s !== 'reversed'),
  cancelled_by_customer: ['awaiting_customer', 'unknown'],
  failed: ['awaiting_customer', 'unknown'],
  timed_out: ['awaiting_customer', 'unknown'],
  deadline_passed: ['created', 'awaiting_customer', 'unknown'],
  cashier_cancelled: ['awaiting_customer', 'unknown'],
  retry_started: ['failed', 'cancelled', 'expired'],
  reversed: ['succeeded'],
  cash_taken: ['failed', 'cancelled', 'expired'],
};

/** A payment after any history, and an event of any type about its current attempt. */
const reachable = fc.array(paymentEventArb, { maxLength: 30 }).map((events) => {
  let p = aPaymentState();
  for (const e of events) {
    const r = transition(p, e);
    if (r.kind === 'applied') p = r.payment;
  }
  return p;
});
const fresh = (p: PaymentState) => `a${p.attemptCount + 10}`;
function aboutCurrent(p: PaymentState, e: PaymentEvent): PaymentEvent {
  if (e.type === 'retry_started') return { ...e, attemptId: fresh(p), previousAttemptFinal: true };
  if (e.type === 'reversed' && p.receipt) return { ...e, receipt: p.receipt };
  return 'attemptId' in e ? { ...e, attemptId: p.currentAttemptId ?? 'a1' } : e;
}

describe('transition (progress)', () => {
  it('applies every event DESIGN.md allows from every reachable state, and only those', () => {
    const seen = new Set<PaymentStatus>();
    fc.assert(
      fc.property(reachable, paymentEventArb, (p, raw) => {
        seen.add(p.status);
        const e = aboutCurrent(p, raw);
        const r = transition(p, e);
        const must = MUST_APPLY[e.type] ?? [];
        expect(r.kind === 'applied').toBe(must.includes(p.status));
        if (r.kind === 'applied') expect(r.from).toBe(p.status);
      }),
      { numRuns: 3000 },
    );
    // Otherwise the property says nothing about the states the generator never reaches.
    expect([...seen].sort()).toEqual([...PAYMENT_STATUSES].sort());
  });

  it('answers a replay of what was just applied with duplicate, not merely "not applied"', () => {
    fc.assert(
      fc.property(reachable, paymentEventArb, (p, raw) => {
        const e = aboutCurrent(p, raw);
        const r = transition(p, e);
        fc.pre(r.kind === 'applied' && e.type !== 'retry_started');
        if (r.kind === 'applied') expect(transition(r.payment, e)).toEqual({ kind: 'duplicate' });
      }),
      { numRuns: 2000 },
    );
  });

  it('starts a retry as a new attempt: the attempt named, one more counted, no failure left', () => {
    fc.assert(
      fc.property(reachable, (p) => {
        fc.pre(['failed', 'cancelled', 'expired'].includes(p.status));
        const id = fresh(p);
        const r = transition(p, {
          type: 'retry_started',
          attemptId: id,
          previousAttemptFinal: true,
        });
        expect(r).toMatchObject({
          kind: 'applied',
          payment: { status: 'created', currentAttemptId: id, attemptCount: p.attemptCount + 1 },
        });
        expect(r.kind === 'applied' && r.payment.failure).toBeNull();
      }),
    );
  });

  it('always calls a different receipt after success a double payment, and changes nothing', () => {
    fc.assert(
      fc.property(reachable, fc.constantFrom('QKH94M1Z99', 'RKX00000AA'), (p, other) => {
        fc.pre(p.status === 'succeeded' || p.status === 'reversed');
        const r = transition(p, {
          type: 'paid',
          attemptId: p.currentAttemptId ?? 'a1',
          receipt: other,
          amount: 100,
          paidAt: '2026-11-22T11:00:00Z',
        });
        expect(r).toMatchObject({ kind: 'ignored', discrepancy: 'double_payment' });
      }),
    );
  });
});
