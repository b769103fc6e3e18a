export { PAYMENT_STATUSES } from '@malipo/payments/domain/payment-status';

const LABEL: Record<string, string> = {
  created: 'Created',
  awaiting_customer: 'Waiting for customer',
  unknown: 'Outcome unknown',
  succeeded: 'Paid',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'Expired',
  reversed: 'Reversed',
  paid_cash: 'Paid in cash',
};

export const statusLabel = (s: string): string => LABEL[s] ?? s;
