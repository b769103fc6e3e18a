export const PAYMENT_STATUSES = [
  'created',
  'awaiting_customer',
  'unknown',
  'succeeded',
  'failed',
  'cancelled',
  'expired',
  'reversed',
  /** The cashier took cash after a failed prompt; a later M-Pesa success is a double payment. */
  'paid_cash',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment in one of these may still have a prompt on the customer's phone. */
export const OPEN_STATUSES: readonly PaymentStatus[] = ['created', 'awaiting_customer', 'unknown'];

/** Ended, but a real receipt can still arrive and win (DESIGN: `paid` wins). */
export const RETRYABLE_STATUSES: readonly PaymentStatus[] = ['failed', 'cancelled', 'expired'];

export const isOpen = (s: PaymentStatus): boolean => OPEN_STATUSES.includes(s);
