import fc from 'fast-check';
import { ATTEMPT_STATES } from '@malipo/payments/domain';
import type {
  AttemptSnapshot,
  AttemptState,
  PaymentEvent,
  PaymentEventType,
  PaymentState,
} from '@malipo/payments/domain';

export const ATTEMPT_IDS = ['a1', 'a2', 'a3'] as const;
const attemptId = fc.constantFrom(...ATTEMPT_IDS);
const receipt = fc.constantFrom('QKH94M1Z11', 'QKH94M1Z12', 'TLA1B2C3D4');
const code = fc.constantFrom('1', '1032', '1037', '2001', '17', '9999');
const text = fc.constantFrom('x', 'Request cancelled by user', 'No response from user.');

/** Any event, about any attempt, in any order: the machine must cope with all of them. */
export const paymentEventArb: fc.Arbitrary<PaymentEvent> = fc.oneof(
  fc.record({
    type: fc.constant('stk_accepted' as const),
    attemptId,
    merchantRequestId: fc.constant('m'),
    checkoutRequestId: fc.constant('ws_CO_1'),
  }),
  fc.record({
    type: fc.constant('stk_rejected' as const),
    attemptId,
    code,
    message: text,
    retryable: fc.boolean(),
  }),
  fc.record({ type: fc.constant('stk_unknown' as const), attemptId, reason: text }),
  fc.record({
    type: fc.constant('paid' as const),
    attemptId,
    receipt,
    amount: fc.constant(100),
    paidAt: fc.constant('2026-11-22T10:00:00Z'),
  }),
  fc.record({
    type: fc.constant('cancelled_by_customer' as const),
    attemptId,
    code,
    message: text,
  }),
  fc.record({
    type: fc.constant('failed' as const),
    attemptId,
    code,
    message: text,
    retryable: fc.boolean(),
  }),
  fc.record({ type: fc.constant('timed_out' as const), attemptId, code, message: text }),
  fc.record({ type: fc.constant('deadline_passed' as const), attemptId, reason: text }),
  fc.record({ type: fc.constant('cashier_cancelled' as const), reason: text }),
  fc.record({
    type: fc.constant('retry_started' as const),
    attemptId,
    previousAttemptFinal: fc.boolean(),
  }),
  fc.record({ type: fc.constant('reversed' as const), receipt, reason: text }),
  fc.record({ type: fc.constant('cash_taken' as const), reason: text }),
  fc.record({ type: fc.constant('outcome_unconfirmed' as const), attemptId, detail: text }),
  fc.record({ type: fc.constant('query_given_up' as const), attemptId, detail: text }),
);

/** Any attempt the database can hold: a state, maybe an outcome, maybe a CheckoutRequestID. */
export const attemptSnapshotArb: fc.Arbitrary<AttemptSnapshot> = fc.oneof(
  fc.constant<AttemptSnapshot>({
    state: 'pending',
    outcome: null,
    checkoutRequestId: null,
    pushAnswered: false,
  }),
  fc.record({
    state: fc.constantFrom<AttemptState>(...ATTEMPT_STATES),
    outcome: fc.constantFrom(null, 'paid', 'failed', 'not_sent', 'unconfirmed'),
    checkoutRequestId: fc.constantFrom(null, 'ws_CO_1'),
    pushAnswered: fc.boolean(),
  }),
);

export function aPaymentState(overrides: Partial<PaymentState> = {}): PaymentState {
  return {
    id: 'p1',
    status: 'created',
    version: 0,
    amount: 100,
    currentAttemptId: 'a1',
    attemptCount: 1,
    receipt: null,
    paidAmount: null,
    paidAt: null,
    failure: null,
    ...overrides,
  };
}

/** One event of each type, about the current attempt a1. Values differ from any default. */
export const ONE_OF_EACH_EVENT: { [T in PaymentEventType]: Extract<PaymentEvent, { type: T }> } = {
  stk_accepted: {
    type: 'stk_accepted',
    attemptId: 'a1',
    merchantRequestId: 'm-1',
    checkoutRequestId: 'ws_CO_1',
  },
  stk_rejected: {
    type: 'stk_rejected',
    attemptId: 'a1',
    code: '2028',
    message: 'not permitted',
    retryable: false,
  },
  stk_unknown: { type: 'stk_unknown', attemptId: 'a1', reason: 'timeout' },
  paid: {
    type: 'paid',
    attemptId: 'a1',
    receipt: 'QKH94M1Z11',
    amount: 100,
    paidAt: '2026-11-22T10:00:00Z',
  },
  cancelled_by_customer: {
    type: 'cancelled_by_customer',
    attemptId: 'a1',
    code: '1032',
    message: 'Request cancelled by user',
  },
  failed: { type: 'failed', attemptId: 'a1', code: '2', message: 'limit', retryable: false },
  timed_out: { type: 'timed_out', attemptId: 'a1', code: '1037', message: 'no answer' },
  deadline_passed: { type: 'deadline_passed', attemptId: 'a1', reason: 'no final answer' },
  outcome_unconfirmed: { type: 'outcome_unconfirmed', attemptId: 'a1', detail: 'query silent' },
  query_given_up: { type: 'query_given_up', attemptId: 'a1', detail: 'grace over' },
  cashier_cancelled: { type: 'cashier_cancelled', reason: 'customer left' },
  retry_started: { type: 'retry_started', attemptId: 'a2', previousAttemptFinal: true },
  reversed: { type: 'reversed', receipt: 'QKH94M1Z11', reason: 'refund' },
  cash_taken: { type: 'cash_taken', reason: 'paid cash' },
};
