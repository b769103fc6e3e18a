import { ValidationError } from '@malipo/common';

/** A channel's own amount window, inside Daraja's 1..250 000 (checked when it is set). */
export interface AmountLimits {
  minAmount: number | null;
  maxAmount: number | null;
}

/** Refuses an amount outside the channel's window before anything is stored or pushed. */
export function checkChannelLimits(channel: AmountLimits, amount: number): void {
  const { minAmount, maxAmount } = channel;
  if ((minAmount !== null && amount < minAmount) || (maxAmount !== null && amount > maxAmount)) {
    throw new ValidationError(
      `amount must be between ${minAmount ?? 1} and ${maxAmount ?? 250_000} KES on this channel`,
      { field: 'amount', minAmount, maxAmount },
      'PAYMENT.AMOUNT_OUT_OF_RANGE',
    );
  }
}
