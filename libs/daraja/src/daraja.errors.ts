import { AppError } from '@malipo/common';

export type DarajaErrorCode =
  | 'DARAJA.UNREACHABLE'
  | 'DARAJA.TIMEOUT'
  | 'DARAJA.NETWORK'
  | 'DARAJA.INVALID_CONSUMER_CREDENTIALS'
  | 'DARAJA.INVALID_ACCESS_TOKEN'
  | 'DARAJA.WRONG_CREDENTIALS'
  | 'DARAJA.MERCHANT_NOT_FOUND'
  | 'DARAJA.SUBSCRIBER_LOCKED'
  | 'DARAJA.BAD_REQUEST'
  | 'DARAJA.UNKNOWN_CHECKOUT_REQUEST'
  | 'DARAJA.RATE_LIMITED'
  | 'DARAJA.SERVER_ERROR'
  | 'DARAJA.REJECTED'
  | 'DARAJA.BAD_RESPONSE';

export interface DarajaErrorInit {
  code: DarajaErrorCode;
  message: string;
  retryable: boolean;
  requestMayHaveReachedDaraja: boolean;
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  /** Earliest sensible retry, when Daraja tells us (subscriber locked: about a minute). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Anything Daraja (or the road to it) refused. `retryable`: the condition is transient.
 * `requestMayHaveReachedDaraja`: false only when the request provably never left (connection
 * refused, DNS failure, or the OAuth step before it failed); when true after an STK push, a prompt
 * may be on the customer's phone, so resolve that attempt before pushing again.
 */
export class DarajaError extends AppError {
  readonly kind = 'upstream';
  readonly code: DarajaErrorCode;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly retryable: boolean;
  readonly requestMayHaveReachedDaraja: boolean;
  readonly retryAfterMs?: number;

  constructor(init: DarajaErrorInit) {
    super(
      init.message,
      {
        httpStatus: init.httpStatus,
        errorCode: init.errorCode,
        errorMessage: init.errorMessage,
        retryable: init.retryable,
        requestMayHaveReachedDaraja: init.requestMayHaveReachedDaraja,
      },
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.errorCode = init.errorCode;
    this.errorMessage = init.errorMessage;
    this.retryable = init.retryable;
    this.requestMayHaveReachedDaraja = init.requestMayHaveReachedDaraja;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The same failure, marked as having happened before the real request was sent. */
  neverSent(): DarajaError {
    return new DarajaError({
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      requestMayHaveReachedDaraja: false,
      httpStatus: this.httpStatus,
      errorCode: this.errorCode,
      errorMessage: this.errorMessage,
      retryAfterMs: this.retryAfterMs,
      cause: this,
    });
  }
}
