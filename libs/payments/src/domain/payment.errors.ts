import { AppError, ConflictError } from '@malipo/common/errors';

export class IllegalTransitionError extends AppError {
  readonly kind = 'conflict';
  readonly code = 'PAYMENT.ILLEGAL_TRANSITION';
}

export const paymentInProgress = (paymentId: string) =>
  new ConflictError('This order already has a payment in progress', 'PAYMENT.IN_PROGRESS', {
    paymentId,
  });

export const alreadyPaid = (paymentId: string) =>
  new ConflictError('This order has already been paid', 'PAYMENT.ALREADY_PAID', { paymentId });

export const phoneBusy = () =>
  new ConflictError(
    'This phone already has an M-Pesa prompt waiting; ask the customer to answer or wait for it to end',
    'PAYMENT.PHONE_BUSY',
  );

export class AttemptNotFinalError extends AppError {
  readonly kind = 'conflict';
  readonly code = 'PAYMENT.ATTEMPT_NOT_FINAL';
}

export const previousAttemptNotFinal = (paymentId: string) =>
  new AttemptNotFinalError(
    'The previous prompt may still be answered; wait until its outcome is known before retrying',
    { paymentId },
  );
