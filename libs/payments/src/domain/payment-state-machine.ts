import type { DiscrepancyKind, PaymentState } from './payment';
import { IllegalTransitionError } from './payment.errors';
import type { PaymentEvent, PaymentEventType } from './payment-event';
import type { PaymentStatus } from './payment-status';

export type Transition =
  | { kind: 'applied'; payment: PaymentState; from: PaymentStatus; discrepancy?: DiscrepancyKind }
  /** Already in the state this event leads to: a replayed callback or job. */
  | { kind: 'duplicate' }
  /** News about an attempt that is no longer current; recorded on the attempt, payment unchanged. */
  | { kind: 'ignored'; reason: string; discrepancy?: DiscrepancyKind }
  | { kind: 'rejected'; error: IllegalTransitionError };

const TARGET: Record<PaymentEventType, PaymentStatus> = {
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

const ALLOWED_FROM: Record<PaymentEventType, readonly PaymentStatus[]> = {
  stk_accepted: ['created'],
  stk_rejected: ['created'],
  stk_unknown: ['created'],
  // A success is real money: it wins over every state that is not already a success.
  paid: ['created', 'awaiting_customer', 'unknown', 'expired', 'cancelled', 'failed', 'paid_cash'],
  cancelled_by_customer: ['awaiting_customer', 'unknown'],
  failed: ['awaiting_customer', 'unknown'],
  timed_out: ['awaiting_customer', 'unknown'],
  deadline_passed: ['awaiting_customer', 'unknown', 'created'],
  cashier_cancelled: ['awaiting_customer', 'unknown'],
  retry_started: ['failed', 'cancelled', 'expired'],
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
  return {
    kind: 'rejected',
    error: new IllegalTransitionError(`${p.status} -/-> ${e.type}`, {
      paymentId: p.id,
      event: e.type,
    }),
  };
}

function attemptOf(e: PaymentEvent): string | undefined {
  return 'attemptId' in e ? e.attemptId : undefined;
}

/** The pure heart of Malipo: the only place that knows which changes a payment may make. */
export function transition(p: PaymentState, e: PaymentEvent): Transition {
  if (e.type === 'paid') return transitionPaid(p, e);
  const attemptId = attemptOf(e);
  const stale =
    attemptId !== undefined && e.type !== 'retry_started' && attemptId !== p.currentAttemptId;
  if (stale) {
    return { kind: 'ignored', reason: 'event is about an attempt that is no longer current' };
  }
  const to = TARGET[e.type];
  if (p.status === to && e.type !== 'retry_started') return { kind: 'duplicate' };
  if (!ALLOWED_FROM[e.type].includes(p.status)) return reject(p, e);
  if (
    e.type === 'retry_started' &&
    (!e.previousAttemptFinal || e.attemptId === p.currentAttemptId)
  ) {
    return reject(p, e);
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
      return { ...next, failure: { code: e.code, message: e.message, retryable: true } };
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
      return next;
  }
}
