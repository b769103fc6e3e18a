import type { schema } from '@malipo/db';
import {
  isOpen,
  type AttemptChange,
  type AttemptSnapshot,
  type AttemptState,
  type PaymentState,
} from '../domain';
import type { PaymentStatus } from '../domain/payment-status';
export { LIVE_ATTEMPT_STATES, type AttemptState } from '../domain/attempt';

export type PaymentRow = typeof schema.payments.$inferSelect;
export type AttemptRow = typeof schema.paymentAttempts.$inferSelect;
export type PaymentEventRow = typeof schema.paymentEvents.$inferSelect;

/** How long after an accepted push its first STK Query falls due (the reconciler may bring it forward). */
export const FIRST_QUERY_DELAY_MS = 30_000;

export function toAttemptSnapshot(row: AttemptRow): AttemptSnapshot {
  return {
    state: row.state as AttemptState,
    outcome: row.outcome,
    checkoutRequestId: row.checkoutRequestId,
    pushAnswered: row.answeredAt !== null,
  };
}

/** The columns an attempt change writes. */
export function attemptColumns(
  c: AttemptChange,
  now: Date,
  firstQueryDelayMs: number,
): Partial<AttemptRow> {
  const columns: Partial<AttemptRow> = {};
  if (c.state) columns.state = c.state;
  if (c.outcome) columns.outcome = c.outcome;
  if (c.resultCode !== undefined) columns.resultCode = c.resultCode;
  if (c.resultDesc !== undefined) columns.resultDesc = c.resultDesc;
  if (c.merchantRequestId) columns.merchantRequestId = c.merchantRequestId;
  if (c.checkoutRequestId) columns.checkoutRequestId = c.checkoutRequestId;
  if (c.receipt) columns.receipt = c.receipt;
  if (c.answered) columns.answeredAt = now;
  if (c.firstQueryDue) columns.nextQueryAt = new Date(now.getTime() + firstQueryDelayMs);
  if (c.final) Object.assign(columns, { finalizedAt: now, nextQueryAt: null });
  return columns;
}

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
  const ended = !isOpen(p.status);
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
