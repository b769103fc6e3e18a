export const WEBHOOK_EVENT_TYPES = [
  'payment.succeeded',
  'payment.failed',
  'payment.cancelled',
  'payment.expired',
  'payment.reversed',
  'payment.updated',
  'discrepancy.opened',
  'account.credited',
  'account.debited',
  'audit.checkpoint',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const BY_STATUS: Record<string, WebhookEventType> = {
  succeeded: 'payment.succeeded',
  failed: 'payment.failed',
  cancelled: 'payment.cancelled',
  expired: 'payment.expired',
  reversed: 'payment.reversed',
};

/** The webhook types one payment event produces: always `payment.updated`, plus its outcome. */
export function typesForPaymentEvent(toStatus: string): WebhookEventType[] {
  const outcome = BY_STATUS[toStatus];
  return outcome ? [outcome, 'payment.updated'] : ['payment.updated'];
}

/** A ledger entry's webhook: money into the balance (deposit, + adjustment) or out of it. */
export function typeForAccountEntry(entry: {
  type: string;
  amount: number;
}): 'account.credited' | 'account.debited' {
  const credit = entry.type === 'DEPOSIT' || (entry.type === 'ADJUSTMENT' && entry.amount > 0);
  return credit ? 'account.credited' : 'account.debited';
}

/** What every delivery sends: `id` is stable across retries and redeliveries. */
export interface WebhookBody<T = unknown> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  tenantId: string;
  data: T;
}

/**
 * The body's id: the committed source row plus the type, because one payment event can be sent
 * both as `payment.succeeded` and as `payment.updated` and a receiver deduplicating on id must
 * not drop either.
 */
export function webhookEventId(eventKey: string, type: WebhookEventType): string {
  return `evt_${eventKey}_${type.replace('.', '_')}`;
}
