import type { StkOutcome } from '@malipo/daraja';
import type { PaymentEvent } from '../domain';

/** transactionDate `YYYYMMDDHHmmss` is East Africa Time (UTC+3). */
function eatToIso(transactionDate: string | undefined, fallback: Date): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(transactionDate ?? '');
  if (!m) return fallback.toISOString();
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h - 3, mi, s));
  return Number.isNaN(date.getTime()) ? fallback.toISOString() : date.toISOString();
}

/**
 * The payment event an STK outcome means for an attempt; `pending` means nothing yet. A `paid`
 * outcome must already have passed the integrity checks (amount, receipt).
 */
export function outcomeEvent(
  attemptId: string,
  amount: number,
  outcome: StkOutcome,
  now: Date,
): PaymentEvent | undefined {
  switch (outcome.kind) {
    case 'paid':
      return {
        type: 'paid',
        attemptId,
        receipt: outcome.receipt ?? '',
        amount,
        paidAt: eatToIso(outcome.transactionDate, now),
      };
    case 'cancelled_by_customer':
      return {
        type: 'cancelled_by_customer',
        attemptId,
        code: outcome.resultCode,
        message: outcome.resultDesc,
      };
    case 'failed':
      return {
        type: 'failed',
        attemptId,
        code: outcome.resultCode,
        message: outcome.resultDesc,
        retryable: outcome.retryable,
      };
    case 'timed_out':
      return {
        type: 'timed_out',
        attemptId,
        code: outcome.resultCode,
        message: outcome.resultDesc,
      };
    case 'pending':
      return undefined;
  }
}
