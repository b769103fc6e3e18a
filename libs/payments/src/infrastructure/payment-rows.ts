import type { schema } from '@malipo/db';
import type { PaymentState } from '../domain';
import type { PaymentStatus } from '../domain/payment-status';

export type PaymentRow = typeof schema.payments.$inferSelect;
export type AttemptRow = typeof schema.paymentAttempts.$inferSelect;
export type PaymentEventRow = typeof schema.paymentEvents.$inferSelect;
export type AttemptState = 'pending' | 'accepted' | 'unknown' | 'rejected' | 'final';

/** How long after an accepted push its first STK Query falls due (the reconciler may bring it forward). */
export const FIRST_QUERY_DELAY_MS = 30_000;

/** Attempt states in which a prompt may still be answered on the phone. */
export const LIVE_ATTEMPT_STATES: readonly AttemptState[] = ['pending', 'accepted', 'unknown'];

export function toPaymentState(row: PaymentRow): PaymentState {
  return {
    id: row.id,
    status: row.status as PaymentStatus,
    version: row.version,
    amount: row.amount,
    currentAttemptId: row.currentAttemptId,
    attemptCount: row.attemptCount,
    receipt: row.receipt,
    paidAmount: row.paidAmount,
    paidAt: row.paidAt?.toISOString() ?? null,
    failure:
      row.failureCode !== null
        ? {
            code: row.failureCode,
            message: row.failureMessage ?? '',
            retryable: row.failureRetryable ?? false,
          }
        : null,
  };
}

/** The columns a state change writes. */
export function stateColumns(p: PaymentState, now: Date): Partial<PaymentRow> {
  const ended = !['created', 'awaiting_customer', 'unknown'].includes(p.status);
  return {
    status: p.status,
    version: p.version,
    currentAttemptId: p.currentAttemptId,
    attemptCount: p.attemptCount,
    receipt: p.receipt,
    paidAmount: p.paidAmount,
    paidAt: p.paidAt ? new Date(p.paidAt) : null,
    failureCode: p.failure?.code ?? null,
    failureMessage: p.failure?.message ?? null,
    failureRetryable: p.failure?.retryable ?? null,
    updatedAt: now,
    finalizedAt: ended ? now : null,
  };
}
