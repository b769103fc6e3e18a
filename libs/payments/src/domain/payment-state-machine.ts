import type { DiscrepancyKind, PaymentState } from './payment';
import { IllegalTransitionError, previousAttemptNotFinal } from './payment.errors';
import type { AttemptNotFinalError } from './payment.errors';
import type { PaymentEvent, PaymentEventType, UnconfirmedEvent } from './payment-event';
import { RETRYABLE_STATUSES, type PaymentStatus } from './payment-status';

export type Transition =
  | { kind: 'applied'; payment: PaymentState; from: PaymentStatus; discrepancy?: DiscrepancyKind }
  /** Already in the state this event leads to: a replayed callback or job. */
  | { kind: 'duplicate' }
  /** News about an attempt that is no longer current; recorded on the attempt, payment unchanged. */
  | { kind: 'ignored'; reason: string; discrepancy?: DiscrepancyKind }
  | Rejection;

/** Why a change was refused, typed so that callers map it without checking again. */
export type Rejection =
  | { kind: 'rejected'; reason: 'illegal_transition'; error: IllegalTransitionError }
  /** A retry while the previous prompt may still be answered. */
  | { kind: 'rejected'; reason: 'attempt_not_final'; error: AttemptNotFinalError };

type StateChangingEvent = Exclude<PaymentEventType, UnconfirmedEvent['type']>;

const TARGET: Record<StateChangingEvent, PaymentStatus> = {
  stk_accepted: 'awaiting_customer',
  stk_rejected: 'failed',
  stk_unknown: 'unknown',
  paid: 'succeeded',
  cancelled_by_customer: 'cancelled',
  failed: 'failed',
  timed_out: 'expired',
  deadline_passed: 'expired',
  cashier_cancelled: 'cancelled',
  retry_started: 'created',
  reversed: 'reversed',
  cash_taken: 'paid_cash',
};

const ALLOWED_FROM: Record<StateChangingEvent, readonly PaymentStatus[]> = {
  // `unknown` too: the push's answer may come after the reconciler stopped waiting for it.
  stk_accepted: ['created', 'unknown'],
  stk_rejected: ['created', 'unknown'],
  stk_unknown: ['created'],
  // A success is real money: it wins over every state that is not already a success.
  paid: ['created', 'awaiting_customer', 'unknown', 'expired', 'cancelled', 'failed', 'paid_cash'],
  cancelled_by_customer: ['awaiting_customer', 'unknown'],
  failed: ['awaiting_customer', 'unknown'],
  timed_out: ['awaiting_customer', 'unknown'],
  deadline_passed: ['awaiting_customer', 'unknown', 'created'],
  cashier_cancelled: ['awaiting_customer', 'unknown'],
  retry_started: RETRYABLE_STATUSES,
  reversed: ['succeeded'],
  // Not from unknown: a prompt may still be on the phone, so the outcome must be settled first.
  cash_taken: ['failed', 'cancelled', 'expired'],
};

/** Which discrepancy a late success records, by the state it overrides. */
const LATE_PAID: Partial<Record<PaymentStatus, DiscrepancyKind>> = {
  expired: 'late_success',
  failed: 'late_success',
  cancelled: 'paid_after_cancel',
  // The customer paid in cash and then by M-Pesa: paid twice.
  paid_cash: 'double_payment',
};

function reject(p: PaymentState, e: PaymentEvent): Transition {
  // The message a cashier sees for a retry of a payment that is not ended.
  const message =
    e.type === 'retry_started'
      ? `A ${p.status} payment cannot be retried`
      : `${p.status} -/-> ${e.type}`;
  return {
    kind: 'rejected',
    reason: 'illegal_transition',
    error: new IllegalTransitionError(message, { paymentId: p.id, event: e.type }),
  };
}

function attemptOf(e: PaymentEvent): string | undefined {
  return 'attemptId' in e ? e.attemptId : undefined;
}

/** The pure heart of Malipo: the only place that knows which changes a payment may make. */
export function transition(p: PaymentState, e: PaymentEvent): Transition {
  if (e.type === 'paid') return transitionPaid(p, e);
  if (e.type === 'outcome_unconfirmed' || e.type === 'query_given_up') {
    // Only the attempt and an operator hear of it; dedupe keeps the discrepancy single.
    return { kind: 'ignored', reason: e.detail, discrepancy: 'unconfirmed_outcome' };
  }
  const attemptId = attemptOf(e);
  const stale =
    attemptId !== undefined && e.type !== 'retry_started' && attemptId !== p.currentAttemptId;
  if (stale) {
    return { kind: 'ignored', reason: 'event is about an attempt that is no longer current' };
  }
  const to = TARGET[e.type];
  if (p.status === to && e.type !== 'retry_started') return { kind: 'duplicate' };
  if (!ALLOWED_FROM[e.type].includes(p.status)) return reject(p, e);
  if (e.type === 'retry_started') {
    if (e.attemptId === p.currentAttemptId) return reject(p, e);
    if (!e.previousAttemptFinal) {
      return {
        kind: 'rejected',
        reason: 'attempt_not_final',
        error: previousAttemptNotFinal(p.id),
      };
    }
  }
  return { kind: 'applied', from: p.status, payment: applyEvent(p, e, to) };
}

function transitionPaid(p: PaymentState, e: Extract<PaymentEvent, { type: 'paid' }>): Transition {
  if (p.status === 'succeeded' || p.status === 'reversed') {
    if (p.receipt === e.receipt) return { kind: 'duplicate' };
    // A second, different receipt for one payment: the customer paid twice. Never a second success.
    return {
      kind: 'ignored',
      reason: 'payment already succeeded with another receipt',
      discrepancy: 'double_payment',
    };
  }
  if (!ALLOWED_FROM.paid.includes(p.status)) return reject(p, e);
  const discrepancy = LATE_PAID[p.status];
  const payment = applyEvent(p, e, 'succeeded');
  return discrepancy
    ? { kind: 'applied', from: p.status, payment, discrepancy }
    : { kind: 'applied', from: p.status, payment };
}

function applyEvent(p: PaymentState, e: PaymentEvent, to: PaymentStatus): PaymentState {
  const next: PaymentState = { ...p, status: to, version: p.version + 1 };
  switch (e.type) {
    case 'paid':
      return { ...next, receipt: e.receipt, paidAmount: e.amount, paidAt: e.paidAt, failure: null };
    case 'stk_rejected':
    case 'failed':
      return { ...next, failure: { code: e.code, message: e.message, retryable: e.retryable } };
    case 'cancelled_by_customer':
    case 'timed_out':
      return { ...next, failure: { code: e.code, message: e.message, retryable: true } };
    case 'deadline_passed':
      return { ...next, failure: { code: 'EXPIRED', message: e.reason, retryable: true } };
    case 'cashier_cancelled':
      return {
        ...next,
        failure: { code: 'CANCELLED_BY_CASHIER', message: e.reason, retryable: true },
      };
    case 'cash_taken':
      return { ...next, failure: null };
    case 'retry_started':
      return {
        ...next,
        currentAttemptId: e.attemptId,
        attemptCount: p.attemptCount + 1,
        failure: null,
      };
    case 'stk_accepted':
    case 'stk_unknown':
    case 'reversed':
    case 'outcome_unconfirmed':
    case 'query_given_up':
      return next;
  }
}
