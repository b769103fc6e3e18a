import { DarajaError, type StkOutcome } from '@malipo/daraja';

/** A DarajaClient without internal retries: every STK Query it sends is one the budget counted. */
export const RECONCILE_DARAJA = Symbol('RECONCILE_DARAJA');

export const NEVER_CONFIRMED =
  'The outcome was never confirmed: the push got no answer and no callback came by the deadline';
export const PUSH_ANSWER_LOST =
  'The push may have reached Safaricom but its answer was never recorded; searching the statement';
export const NO_FINAL_ANSWER = 'No final answer from Safaricom by the deadline';
export const GRACE_OVER = 'No final answer from Safaricom within the grace window';
export const PAID_WITHOUT_RECEIPT =
  'STK Query says paid; no unique statement row gives the receipt';

/** What a query answer was, kept on the attempt and as evidence (no phone numbers in it). */
export function querySummary(outcome: StkOutcome | DarajaError): Record<string, unknown> {
  if (outcome instanceof DarajaError) {
    return {
      kind: 'error',
      code: outcome.code,
      errorCode: outcome.errorCode,
      retryable: outcome.retryable,
    };
  }
  return { kind: outcome.kind, resultCode: outcome.resultCode, resultDesc: outcome.resultDesc };
}
