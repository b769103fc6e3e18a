import type { AttemptOutcome, AttemptSnapshot, AttemptState } from './attempt';
import { awaitsPushAnswer, isAttemptLive } from './attempt';
import type { PaymentEvent } from './payment-event';

export const NOT_SENT = 'The prompt was never sent: the push did not leave before the deadline';

/**
 * What an event changes on the attempt it names, in domain terms; infrastructure turns it into
 * columns (payment-rows.ts `attemptColumns`).
 */
export interface AttemptChange {
  state?: AttemptState;
  outcome?: AttemptOutcome;
  resultCode?: string | null;
  resultDesc?: string | null;
  merchantRequestId?: string;
  checkoutRequestId?: string;
  receipt?: string;
  /** The push's synchronous answer arrived now. */
  answered?: true;
  /** Ended now: never queried again. */
  final?: true;
  /** The first STK Query falls due after the usual delay. */
  firstQueryDue?: true;
  /** The prompt can no longer be answered on the phone: its phone lock may go. */
  endsPrompt: boolean;
}

const final = (
  outcome: AttemptOutcome,
  resultCode: string | null,
  resultDesc: string | null,
): AttemptChange => ({
  state: 'final',
  outcome,
  resultCode,
  resultDesc,
  final: true,
  endsPrompt: true,
});

/**
 * The pure attempt state machine, next to the payment one. An event changes its attempt even when
 * the payment does not (a stale attempt's outcome is still a fact about that attempt); undefined
 * means nothing changes, so a replayed event is a no-op. Final attempts stay final, except that
 * money wins: a `paid` is recorded on any attempt not already paid.
 */
export function attemptTransition(a: AttemptSnapshot, e: PaymentEvent): AttemptChange | undefined {
  const live = isAttemptLive(a);
  switch (e.type) {
    case 'stk_accepted':
      if (a.state !== 'pending' && a.state !== 'unknown') return undefined;
      return {
        state: 'accepted',
        merchantRequestId: e.merchantRequestId,
        checkoutRequestId: e.checkoutRequestId,
        answered: true,
        firstQueryDue: true,
        endsPrompt: false,
      };
    case 'stk_rejected':
      if (!awaitsPushAnswer(a)) return undefined;
      return { ...final('rejected', e.code, e.message), state: 'rejected', answered: true };
    case 'stk_unknown':
      // Once recorded, a lost answer stays recorded: a replay must not push the first query out.
      if (!awaitsPushAnswer(a) || a.pushAnswered) return undefined;
      return { state: 'unknown', answered: true, firstQueryDue: true, endsPrompt: false };
    case 'paid':
      if (a.outcome === 'paid') return undefined;
      return { ...final('paid', '0', null), receipt: e.receipt };
    case 'cancelled_by_customer':
    case 'failed':
    case 'timed_out':
      return live ? final(e.type, e.code, e.message) : undefined;
    case 'deadline_passed':
      // Never marked as pushed: no prompt can exist, so the attempt ends here (a retry may follow).
      if (a.state === 'pending') return final('not_sent', null, NOT_SENT);
      // No prompt outlives the deadline; the attempt stays queryable through the grace window.
      return live ? { endsPrompt: true } : undefined;
    case 'outcome_unconfirmed':
      // Past the deadline nobody knows whether money moved; the statement search goes on.
      return live ? { endsPrompt: true } : undefined;
    case 'query_given_up':
      return live ? final('unconfirmed', null, e.detail) : undefined;
    case 'cashier_cancelled':
    case 'cash_taken':
    case 'retry_started':
    case 'reversed':
      // The attempt stays queryable: a late answer from Safaricom still counts (grace window).
      return undefined;
  }
}

/** The attempt after a change, for reasoning in tests and callers that hold a snapshot. */
export function applyAttemptChange<A extends AttemptSnapshot>(a: A, c: AttemptChange): A {
  return {
    ...a,
    ...(c.state ? { state: c.state } : {}),
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(c.checkoutRequestId ? { checkoutRequestId: c.checkoutRequestId } : {}),
    ...(c.answered ? { pushAnswered: true } : {}),
  };
}
