/**
 * Everything that can happen to a payment. HTTP, Daraja callbacks and the reconciler all describe
 * what they learned as one of these and hand it to the same `transition`.
 */
export type PaymentEvent =
  /** Daraja accepted the push: a prompt is on its way to the phone. */
  | {
      type: 'stk_accepted';
      attemptId: string;
      merchantRequestId: string;
      checkoutRequestId: string;
    }
  /** Daraja refused the push; no prompt was shown. */
  | { type: 'stk_rejected'; attemptId: string; code: string; message: string; retryable: boolean }
  /** The push may have reached Daraja but we lost the answer (timeout, 5xx): never push blindly again. */
  | { type: 'stk_unknown'; attemptId: string; reason: string }
  /** M-Pesa says money moved. */
  | { type: 'paid'; attemptId: string; receipt: string; amount: number; paidAt: string }
  | { type: 'cancelled_by_customer'; attemptId: string; code: string; message: string }
  | { type: 'failed'; attemptId: string; code: string; message: string; retryable: boolean }
  /** The customer never answered (1037, 1019). */
  | { type: 'timed_out'; attemptId: string; code: string; message: string }
  /** Our own deadline passed without a final answer from Safaricom. */
  | { type: 'deadline_passed'; attemptId: string; reason: string }
  /** Past the deadline nobody can tell whether money moved: an operator is told, the search goes on. */
  | { type: 'outcome_unconfirmed'; attemptId: string; detail: string }
  /** The grace window is over without a final answer: the attempt is no longer queried. */
  | { type: 'query_given_up'; attemptId: string; detail: string }
  /** The cashier stopped waiting. A later success still wins. */
  | { type: 'cashier_cancelled'; reason: string }
  /** A new attempt begins; allowed only once the previous one is known final. */
  | { type: 'retry_started'; attemptId: string; previousAttemptFinal: boolean }
  | { type: 'reversed'; receipt: string; reason: string }
  /** After a failed prompt the customer paid in cash at the till; no prompt may follow. */
  | { type: 'cash_taken'; reason: string };

export type PaymentEventType = PaymentEvent['type'];

/** News for the operator about an attempt; the payment itself does not change. */
export type UnconfirmedEvent = Extract<
  PaymentEvent,
  { type: 'outcome_unconfirmed' | 'query_given_up' }
>;
