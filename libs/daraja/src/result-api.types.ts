import type { DarajaError } from './daraja.errors';

/**
 * What the synchronous half of a result-based call says (REFERENCE §12). `accepted` only means
 * Daraja queued it: the outcome comes later to the ResultURL, matched by these conversation ids.
 */
export type ResultApiSubmission =
  | {
      kind: 'accepted';
      conversationId: string;
      originatorConversationId: string;
      responseDescription: string;
      /** The body sent, without SecurityCredential. */
      request: Record<string, unknown>;
    }
  | {
      kind: 'refused';
      /** Daraja's errorCode or ResponseCode, or the transport reason when nothing left. */
      reason: string;
      message: string;
      /** The same request may succeed later (rate limit, connection refused). */
      retryable: boolean;
      request: Record<string, unknown>;
    }
  | {
      /** The request may have reached Daraja and we did not hear back: ask again, never assume. */
      kind: 'unknown';
      reason: string;
      message: string;
      request: Record<string, unknown>;
    };

export type C2bRegistration =
  | { kind: 'registered'; responseDescription: string }
  | { kind: 'refused'; reason: string; message: string }
  | { kind: 'unknown'; reason: string; message: string };

export type RefusalOrUnknown = Exclude<ResultApiSubmission, { kind: 'accepted' }>;

/** A DarajaError as a submission outcome: only a request that never left is a plain refusal. */
export function submissionFromError(
  error: DarajaError,
  request: Record<string, unknown>,
): RefusalOrUnknown {
  const reason = error.errorCode ?? error.code;
  if (
    !error.requestMayHaveReachedDaraja ||
    (error.httpStatus !== undefined && error.httpStatus < 500)
  ) {
    return { kind: 'refused', reason, message: error.message, retryable: error.retryable, request };
  }
  if (error.code === 'DARAJA.RATE_LIMITED') {
    return { kind: 'refused', reason, message: error.message, retryable: true, request };
  }
  return { kind: 'unknown', reason, message: error.message, request };
}
