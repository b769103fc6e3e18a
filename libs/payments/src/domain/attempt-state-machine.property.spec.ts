import fc from 'fast-check';
import { attemptSnapshotArb, paymentEventArb } from '../../../../test/factories/payment-events.arb';
import { isAttemptFinal, isAttemptLive, type AttemptSnapshot } from './attempt';
import { applyAttemptChange, attemptTransition, type AttemptChange } from './attempt-state-machine';
import type { PaymentEvent } from './payment-event';

/** A change that writes nothing but the (idempotent) release of the phone lock. */
const writesNothing = (c: AttemptChange | undefined): boolean =>
  !c || Object.keys(c).every((k) => k === 'endsPrompt');

function run(
  a: AttemptSnapshot,
  events: PaymentEvent[],
  each: (before: AttemptSnapshot, e: PaymentEvent, after: AttemptSnapshot) => void,
): void {
  let current = a;
  for (const e of events) {
    const c = attemptTransition(current, e);
    const next = c ? applyAttemptChange(current, c) : current;
    each(current, e, next);
    current = next;
  }
}

describe('attemptTransition (properties)', () => {
  it('keeps final attempts final: only money changes one, and only once', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, fc.array(paymentEventArb, { maxLength: 30 }), (a, events) => {
        run(a, events, (before, e, after) => {
          if (!isAttemptFinal(before)) return;
          expect(isAttemptFinal(after)).toBe(true);
          if (after !== before) {
            expect(e.type).toBe('paid');
            expect(before.outcome).not.toBe('paid');
            expect(after.outcome).toBe('paid');
          }
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('makes a replayed event a no-op on the attempt', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, fc.array(paymentEventArb, { maxLength: 30 }), (a, events) => {
        run(a, events, (_before, e, after) => {
          expect(writesNothing(attemptTransition(after, e))).toBe(true);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('ends a pending attempt (never pushed) as not_sent at the deadline, and nothing else that way', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, paymentEventArb, (a, raw) => {
        const e: PaymentEvent = { type: 'deadline_passed', attemptId: 'a1', reason: 'x' };
        const c = attemptTransition(a, e);
        if (a.state === 'pending') {
          expect(c).toMatchObject({ state: 'final', outcome: 'not_sent', endsPrompt: true });
        } else {
          // A prompt that may exist is never declared unsent; it stays queryable.
          expect(c?.state).toBeUndefined();
        }
        // Only the deadline calls an attempt unsent.
        if (raw.type !== 'deadline_passed') {
          expect(attemptTransition(a, raw)?.outcome).not.toBe('not_sent');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('treats unknown without a CheckoutRequestID as maybe pushed: only evidence or a give-up ends it', () => {
    const maybePushed: AttemptSnapshot = {
      state: 'unknown',
      outcome: null,
      checkoutRequestId: null,
      pushAnswered: false,
    };
    const ENDED_BY: PaymentEvent['type'][] = [
      'stk_rejected',
      'paid',
      'cancelled_by_customer',
      'failed',
      'timed_out',
      'query_given_up',
    ];
    fc.assert(
      fc.property(paymentEventArb, (e) => {
        const c = attemptTransition(maybePushed, e);
        const after = c ? applyAttemptChange(maybePushed, c) : maybePushed;
        expect(isAttemptLive(after)).toBe(!ENDED_BY.includes(e.type));
      }),
      { numRuns: 500 },
    );
  });

  it('takes a push answer only while one is awaited', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, (a) => {
        const answers: PaymentEvent[] = [
          { type: 'stk_rejected', attemptId: 'a1', code: '1', message: 'x', retryable: true },
          { type: 'stk_unknown', attemptId: 'a1', reason: 'x' },
        ];
        const awaited = a.state === 'pending' || (a.state === 'unknown' && !a.checkoutRequestId);
        const [rejected, lost] = answers;
        expect(attemptTransition(a, rejected) !== undefined).toBe(awaited);
        // A lost answer is recorded once; a definite refusal may still follow it.
        expect(attemptTransition(a, lost) !== undefined).toBe(awaited && !a.pushAnswered);
      }),
    );
  });

  it('releases the phone whenever an attempt stops being live', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, paymentEventArb, (a, e) => {
        const c = attemptTransition(a, e);
        if (c && isAttemptLive(a) && !isAttemptLive(applyAttemptChange(a, c))) {
          expect(c.endsPrompt).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** Safaricom's final answers about an attempt, and the reconciler's last word. */
const ENDS_A_LIVE_ATTEMPT: PaymentEvent[] = [
  { type: 'paid', attemptId: 'a1', receipt: 'QKH94M1Z11', amount: 100, paidAt: 'now' },
  { type: 'cancelled_by_customer', attemptId: 'a1', code: '1032', message: 'x' },
  { type: 'failed', attemptId: 'a1', code: '1', message: 'x', retryable: true },
  { type: 'timed_out', attemptId: 'a1', code: '1037', message: 'x' },
  { type: 'query_given_up', attemptId: 'a1', detail: 'x' },
];

describe('attemptTransition (progress)', () => {
  it('ends every live attempt on a final answer or a give-up, releasing its phone', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, fc.constantFrom(...ENDS_A_LIVE_ATTEMPT), (a, e) => {
        fc.pre(isAttemptLive(a) && a.outcome === null); // a live attempt has no outcome yet
        const c = attemptTransition(a, e);
        expect(c).toMatchObject({ state: 'final', final: true, endsPrompt: true });
        expect(isAttemptFinal(applyAttemptChange(a, c!))).toBe(true);
      }),
    );
  });

  it('records money on any attempt not already paid, with its receipt', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, (a) => {
        const c = attemptTransition(a, ENDS_A_LIVE_ATTEMPT[0]);
        if (a.outcome === 'paid') expect(c).toBeUndefined();
        else expect(c).toMatchObject({ outcome: 'paid', resultCode: '0', receipt: 'QKH94M1Z11' });
      }),
    );
  });

  it('takes an accepted push on any attempt still waiting for one, and starts querying it', () => {
    fc.assert(
      fc.property(attemptSnapshotArb, (a) => {
        const c = attemptTransition(a, {
          type: 'stk_accepted',
          attemptId: 'a1',
          merchantRequestId: 'm',
          checkoutRequestId: 'ws_CO_9',
        });
        const waiting = a.state === 'pending' || a.state === 'unknown';
        expect(c !== undefined).toBe(waiting);
        if (!c) return;
        const after = applyAttemptChange(a, c);
        expect(after).toMatchObject({ state: 'accepted', checkoutRequestId: 'ws_CO_9' });
        expect(c).toMatchObject({ firstQueryDue: true, endsPrompt: false });
      }),
    );
  });
});
