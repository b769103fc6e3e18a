import type { PaymentEventRow, PaymentRow } from './payment-rows';

/**
 * The columns of a payment that change over its life, as one event left them. Everything else
 * (amount, phone, order, channel, terminal) is fixed at creation and read from the payment row,
 * so the snapshot copies no personal data.
 */
export interface PaymentStateSnapshot {
  status: string;
  version: number;
  attemptCount: number;
  currentAttemptId: string | null;
  receipt: string | null;
  paidAmount: number | null;
  paidAt: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  failureRetryable: boolean | null;
  deadlineAt: string | null;
  updatedAt: string;
  finalizedAt: string | null;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
const date = (s: unknown): Date | null => (typeof s === 'string' ? new Date(s) : null);

export function snapshotOf(row: PaymentRow): PaymentStateSnapshot {
  return {
    status: row.status,
    version: row.version,
    attemptCount: row.attemptCount,
    currentAttemptId: row.currentAttemptId,
    receipt: row.receipt,
    paidAmount: row.paidAmount,
    paidAt: iso(row.paidAt),
    failureCode: row.failureCode,
    failureMessage: row.failureMessage,
    failureRetryable: row.failureRetryable,
    deadlineAt: iso(row.deadlineAt),
    updatedAt: row.updatedAt.toISOString(),
    finalizedAt: iso(row.finalizedAt),
  };
}

/**
 * The payment as `event` left it: the current row's fixed columns with the event's snapshot on
 * top. Events older than the snapshot column only know their status.
 */
export function paymentAsOf(
  current: PaymentRow,
  event: Pick<PaymentEventRow, 'toStatus' | 'paymentState'>,
): PaymentRow {
  const s = event.paymentState as Partial<PaymentStateSnapshot> | null;
  if (!s || typeof s.status !== 'string') return { ...current, status: event.toStatus };
  return {
    ...current,
    status: s.status,
    version: s.version ?? current.version,
    attemptCount: s.attemptCount ?? current.attemptCount,
    currentAttemptId: s.currentAttemptId ?? null,
    receipt: s.receipt ?? null,
    paidAmount: s.paidAmount ?? null,
    paidAt: date(s.paidAt),
    failureCode: s.failureCode ?? null,
    failureMessage: s.failureMessage ?? null,
    failureRetryable: s.failureRetryable ?? null,
    deadlineAt: date(s.deadlineAt),
    updatedAt: date(s.updatedAt) ?? current.updatedAt,
    finalizedAt: date(s.finalizedAt),
  };
}
