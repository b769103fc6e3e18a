/**
 * One STK push. `pending`: the push certainly never left. `unknown`: it may have left (the
 * push-intent mark is written before Daraja is called) and nobody has heard the answer yet.
 */
export const ATTEMPT_STATES = ['pending', 'accepted', 'unknown', 'rejected', 'final'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** How a final attempt ended. */
export type AttemptOutcome =
  | 'paid'
  | 'rejected'
  | 'cancelled_by_customer'
  | 'failed'
  | 'timed_out'
  | 'not_sent'
  | 'unconfirmed';

/** Attempt states in which a prompt may still be answered on the phone. */
export const LIVE_ATTEMPT_STATES: readonly AttemptState[] = ['pending', 'accepted', 'unknown'];

/** The part of an attempt its state machine reasons about. */
export interface AttemptSnapshot {
  state: AttemptState;
  outcome: string | null;
  checkoutRequestId: string | null;
  /** The push's synchronous answer (accepted, refused or lost) has been recorded. */
  pushAnswered: boolean;
}

export const isAttemptLive = (a: Pick<AttemptSnapshot, 'state'>): boolean =>
  LIVE_ATTEMPT_STATES.includes(a.state);

/** Final: nothing Safaricom says can make this prompt answerable again, so a retry may follow. */
export const isAttemptFinal = (a: Pick<AttemptSnapshot, 'state'> | undefined): boolean =>
  !a || !isAttemptLive(a);

/** Never pushed, or pushed and unanswered without a CheckoutRequestID: maybe pushed, unqueryable. */
export const awaitsPushAnswer = (a: AttemptSnapshot): boolean =>
  a.state === 'pending' || (a.state === 'unknown' && !a.checkoutRequestId);
