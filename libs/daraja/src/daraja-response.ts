import { DarajaError, type DarajaErrorCode } from './daraja.errors';

export type DarajaOperation =
  | 'oauth'
  | 'stk push'
  | 'stk query'
  | 'transaction status'
  | 'reversal'
  | 'account balance'
  | 'c2b register';

export interface HttpAnswer {
  status: number;
  data: unknown;
}

export interface ErrorEnvelope {
  requestId?: string;
  errorCode?: string;
  errorMessage?: string;
}

export function envelopeOf(data: unknown): ErrorEnvelope {
  if (typeof data !== 'object' || data === null) return {};
  const d = data as Record<string, unknown>;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  return {
    requestId: text(d.requestId),
    errorCode: text(d.errorCode),
    errorMessage: text(d.errorMessage),
  };
}

const TOKEN_CODES = new Set(['404.001.03', '400.003.01', '401.002.01']);

/** Token rejections differ per API (REFERENCE §1.4); any of them means "refresh once, retry once". */
export function isTokenRejection(answer: HttpAnswer): boolean {
  const { errorCode, errorMessage } = envelopeOf(answer.data);
  if (answer.status === 401) return true;
  if (errorCode && TOKEN_CODES.has(errorCode)) return true;
  return /invalid access token/i.test(errorMessage ?? '');
}

export function isRateLimited(answer: HttpAnswer): boolean {
  const { errorCode } = envelopeOf(answer.data);
  return answer.status === 429 || errorCode === '500.003.02' || errorCode === '500.003.03';
}

function classify(answer: HttpAnswer, op: DarajaOperation): [DarajaErrorCode, boolean] {
  const { errorCode, errorMessage = '' } = envelopeOf(answer.data);
  const text = errorMessage.toLowerCase();
  // One errorCode, four meanings: branch on the message (REFERENCE §3.2).
  if (errorCode === '500.001.1001') {
    if (text.includes('unable to lock subscriber')) return ['DARAJA.SUBSCRIBER_LOCKED', true];
    if (text.includes('wrong credentials')) return ['DARAJA.WRONG_CREDENTIALS', false];
    if (text.includes('merchant does not exist')) return ['DARAJA.MERCHANT_NOT_FOUND', false];
    return ['DARAJA.SERVER_ERROR', true];
  }
  if (isRateLimited(answer)) return ['DARAJA.RATE_LIMITED', true];
  if (op === 'oauth' && errorCode === '400.008.01') {
    return ['DARAJA.INVALID_CONSUMER_CREDENTIALS', false];
  }
  if (isTokenRejection(answer)) return ['DARAJA.INVALID_ACCESS_TOKEN', !/apiproduct/i.test(text)];
  if (op === 'stk query' && /checkoutrequestid/i.test(text)) {
    return ['DARAJA.UNKNOWN_CHECKOUT_REQUEST', false];
  }
  if (answer.status >= 500) return ['DARAJA.SERVER_ERROR', true];
  if (answer.status >= 400) return ['DARAJA.BAD_REQUEST', false];
  return ['DARAJA.BAD_RESPONSE', true];
}

/** A non-success HTTP answer as a DarajaError; it reached Daraja, so a push may have gone out. */
export function errorFromAnswer(answer: HttpAnswer, op: DarajaOperation): DarajaError {
  const { errorCode, errorMessage } = envelopeOf(answer.data);
  const [code, retryable] = classify(answer, op);
  return new DarajaError({
    code,
    message: `Daraja ${op} failed: HTTP ${answer.status}${errorCode ? ` ${errorCode}` : ''}${
      errorMessage ? ` ${errorMessage}` : ''
    }`,
    retryable,
    requestMayHaveReachedDaraja: true,
    httpStatus: answer.status,
    errorCode,
    errorMessage,
    retryAfterMs: code === 'DARAJA.SUBSCRIBER_LOCKED' ? 60_000 : undefined,
  });
}

const NEVER_LEFT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function errnoOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  if (typeof e?.code === 'string' && e.code !== 'ERR_NETWORK') return e.code;
  if (Array.isArray(e?.errors) && e.errors.length) return errnoOf(e.errors[0]);
  if (e?.cause) return errnoOf(e.cause);
  return typeof e?.code === 'string' ? e.code : undefined;
}

/** No HTTP answer at all. Only a refused connection or a failed DNS lookup proves nothing left. */
export function errorFromTransport(raw: unknown, op: DarajaOperation): DarajaError {
  const errno = errnoOf(raw) ?? 'UNKNOWN';
  // Never keep the axios error itself: its config holds the Authorization header and the body.
  const error = new Error(`${errno}: ${raw instanceof Error ? raw.message : 'network error'}`);
  if (NEVER_LEFT.has(errno)) {
    return new DarajaError({
      code: 'DARAJA.UNREACHABLE',
      message: `Daraja ${op} failed: cannot connect (${errno})`,
      retryable: true,
      requestMayHaveReachedDaraja: false,
      cause: error,
    });
  }
  const timedOut = TIMED_OUT.has(errno);
  return new DarajaError({
    code: timedOut ? 'DARAJA.TIMEOUT' : 'DARAJA.NETWORK',
    message: `Daraja ${op} failed: ${timedOut ? 'no answer in time' : 'connection lost'} (${errno})`,
    retryable: true,
    requestMayHaveReachedDaraja: true,
    cause: error,
  });
}
