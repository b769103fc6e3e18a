import { DarajaError, type StkPushAccepted } from '@malipo/daraja';
import type { PaymentEvent } from '../domain';

/** Daraja errors that are a definite "no": the push was refused and no prompt was shown. */
const REFUSAL_CODES = ['500.001.1001', '500.003.02', '500.003.03'];

function isDefiniteRefusal(error: DarajaError): boolean {
  if (!error.requestMayHaveReachedDaraja) return true;
  if (error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500) {
    return true;
  }
  return error.errorCode !== undefined && REFUSAL_CODES.includes(error.errorCode);
}

/**
 * Turns the synchronous answer to an STK push into the event the state machine understands.
 * Anything that is not a clear yes or a clear no is `stk_unknown`: a prompt may be on the phone.
 */
export function pushOutcomeEvent(
  attemptId: string,
  outcome: StkPushAccepted | unknown,
): PaymentEvent {
  if (!(outcome instanceof Error)) {
    const accepted = outcome as StkPushAccepted;
    return {
      type: 'stk_accepted',
      attemptId,
      merchantRequestId: accepted.merchantRequestId,
      checkoutRequestId: accepted.checkoutRequestId,
    };
  }
  if (outcome instanceof DarajaError && isDefiniteRefusal(outcome)) {
    return {
      type: 'stk_rejected',
      attemptId,
      code: outcome.errorCode ?? outcome.code,
      message: outcome.errorMessage ?? outcome.message,
      retryable: outcome.retryable,
    };
  }
  const reason =
    outcome instanceof DarajaError
      ? (outcome.errorMessage ?? outcome.message)
      : 'no answer from Daraja';
  return { type: 'stk_unknown', attemptId, reason };
}
