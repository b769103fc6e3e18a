export type ErrorKind =
  | 'invalid'
  | 'unprocessable'
  | 'forbidden'
  | 'unauthenticated'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable'
  | 'internal';

/**
 * Every expected failure in Malipo is an AppError: a stable namespaced `code` clients can branch on,
 * and a `kind` that each edge (HTTP, WebSocket, worker) maps to its own vocabulary in one place.
 */
export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly kind = 'invalid';
  readonly code: string;
  constructor(message: string, details: Record<string, unknown> = {}, code = 'VALIDATION.FAILED') {
    super(message, details);
    this.code = code;
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found';
  readonly code: string;
  constructor(message: string, code = 'RESOURCE.NOT_FOUND', details: Record<string, unknown> = {}) {
    super(message, details);
    this.code = code;
  }
}

export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
  readonly code: string;
  constructor(message: string, code = 'AUTH.FORBIDDEN') {
    super(message);
    this.code = code;
  }
}

export class UnauthenticatedError extends AppError {
  readonly kind = 'unauthenticated';
  readonly code: string;
  constructor(message: string, code = 'AUTH.UNAUTHENTICATED') {
    super(message);
    this.code = code;
  }
}

export class ConflictError extends AppError {
  readonly kind = 'conflict';
  readonly code: string;
  constructor(message: string, code: string, details: Record<string, unknown> = {}) {
    super(message, details);
    this.code = code;
  }
}

export class UnavailableError extends AppError {
  readonly kind = 'unavailable';
  readonly code: string;
  constructor(message: string, code = 'SERVICE.UNAVAILABLE', options?: ErrorOptions) {
    super(message, {}, options);
    this.code = code;
  }
}

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  readonly code = 'HTTP.RATE_LIMITED';
  constructor(
    message: string,
    /** Whole seconds until the caller may try again (the HTTP edge sends it as Retry-After). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
