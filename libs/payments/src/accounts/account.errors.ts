import { ConflictError, NotFoundError, ValidationError } from '@malipo/common';
import type { DepositLimitBreach, DepositLimits } from './ledger-rules';

export const accountNotFound = () => new NotFoundError('Account not found', 'ACCOUNT.NOT_FOUND');

export const accountClosed = () => new ConflictError('The account is closed', 'ACCOUNT.CLOSED', {});

export const insufficientBalance = (balance: number, amount: number) =>
  new ConflictError(
    `The balance (KES ${balance}) does not cover KES ${amount}`,
    'ACCOUNT.INSUFFICIENT_BALANCE',
    { balance, amount },
  );

export const externalRefInUse = () =>
  new ConflictError(
    'Another account of the shop has this externalRef',
    'ACCOUNT.EXTERNAL_REF_IN_USE',
  );

export function depositOutOfLimits(
  breach: Exclude<DepositLimitBreach, null>,
  limits: DepositLimits,
): ValidationError {
  const details = { field: 'amount', ...limits };
  return breach === 'below_minimum'
    ? new ValidationError(
        `A deposit must be at least KES ${limits.depositMin}`,
        details,
        'ACCOUNT.DEPOSIT_BELOW_MINIMUM',
      )
    : new ValidationError(
        `A deposit may be at most KES ${limits.depositMax}`,
        details,
        'ACCOUNT.DEPOSIT_ABOVE_MAXIMUM',
      );
}

export const adjustmentNotFound = () =>
  new NotFoundError('Adjustment not found', 'ADJUSTMENT.NOT_FOUND');
