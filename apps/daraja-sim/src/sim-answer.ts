import { errorRequestId } from './sim-ids';

export interface SimAnswer {
  status: number;
  body: unknown;
}

/** A body the JSON parser could not read, or a non-JSON body (form-encoded, text). */
export class UnparsableBody {
  constructor(readonly kind: 'invalid_json' | 'not_json') {}
}

/** Marks internal answers so they can never be confused with a request body. */
const ANSWER = Symbol('answer');

/** Daraja's synchronous error envelope (REFERENCE §3.2). */
export function envelope(
  status: number,
  errorCode: string,
  errorMessage: string,
  requestId = errorRequestId(),
): SimAnswer {
  return { status, body: { requestId, errorCode, errorMessage }, [ANSWER]: true } as SimAnswer;
}

export function isAnswer(v: unknown): v is SimAnswer {
  return typeof v === 'object' && v !== null && (v as { [ANSWER]?: boolean })[ANSWER] === true;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnparsableBody);
}

export const LOCKED =
  'Unable to lock subscriber, a transaction is already in process for the current subscriber';
