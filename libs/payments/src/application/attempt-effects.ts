import type { PaymentEvent } from '../domain';
import type { AttemptRow, AttemptState } from '../infrastructure/payment-rows';
import { LIVE_ATTEMPT_STATES } from '../infrastructure/payment-rows';

export interface AttemptEffect {
  columns: Partial<AttemptRow>;
  /** The attempt can no longer be answered on the phone: release its phone lock. */
  endsPrompt: boolean;
}

const final = (
  outcome: string,
  code: string | null,
  desc: string | null,
  now: Date,
): Partial<AttemptRow> => ({
  state: 'final' satisfies AttemptState,
  outcome,
  resultCode: code,
  resultDesc: desc,
  finalizedAt: now,
  nextQueryAt: null,
});

/**
 * What an event means for the attempt it names. Applied even when the payment itself does not
 * change (a stale attempt's outcome is still a fact about that attempt).
 */
export function attemptEffect(
  attempt: AttemptRow,
  e: PaymentEvent,
  now: Date,
  firstQueryDelayMs: number,
): AttemptEffect | undefined {
  const live = LIVE_ATTEMPT_STATES.includes(attempt.state as AttemptState);
  switch (e.type) {
    case 'stk_accepted':
      if (!['pending', 'unknown'].includes(attempt.state)) return undefined;
      return {
        endsPrompt: false,
        columns: {
          state: 'accepted',
          merchantRequestId: e.merchantRequestId,
          checkoutRequestId: e.checkoutRequestId,
          answeredAt: now,
          nextQueryAt: new Date(now.getTime() + firstQueryDelayMs),
        },
      };
    case 'stk_rejected':
      if (attempt.state !== 'pending') return undefined;
      return {
        endsPrompt: true,
        columns: {
          ...final('rejected', e.code, e.message, now),
          state: 'rejected',
          answeredAt: now,
        },
      };
    case 'stk_unknown':
      if (attempt.state !== 'pending') return undefined;
      return {
        endsPrompt: false,
        columns: {
          state: 'unknown',
          answeredAt: now,
          nextQueryAt: new Date(now.getTime() + firstQueryDelayMs),
        },
      };
    case 'paid':
      if (attempt.outcome === 'paid') return undefined;
      return {
        endsPrompt: true,
        columns: { ...final('paid', '0', null, now), receipt: e.receipt },
      };
    case 'cancelled_by_customer':
      return live
        ? { endsPrompt: true, columns: final('cancelled_by_customer', e.code, e.message, now) }
        : undefined;
    case 'failed':
      return live
        ? { endsPrompt: true, columns: final('failed', e.code, e.message, now) }
        : undefined;
    case 'timed_out':
      return live
        ? { endsPrompt: true, columns: final('timed_out', e.code, e.message, now) }
        : undefined;
    case 'deadline_passed':
    case 'cashier_cancelled':
    case 'retry_started':
    case 'reversed':
    case 'cash_taken':
      // The attempt stays queryable: a late answer from Safaricom still counts (grace window).
      return undefined;
  }
}
