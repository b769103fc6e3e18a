import {
  type StatementEntry,
  discrepancySummary,
  paymentAsOf,
  toPaymentView,
  type PaymentEventRow,
  type PaymentRow,
} from '@malipo/payments';
import type { schema } from '@malipo/db';
import {
  typeForAccountEntry,
  webhookEventId,
  type WebhookBody,
  type WebhookEventType,
} from './webhook-events';

type DiscrepancyRow = typeof schema.discrepancies.$inferSelect;

/**
 * The payment as the shop's backend should see it for this event: as the event left it, even
 * when the webhook goes out after later changes (those have their own events and seq).
 */
export function paymentEventBody(
  event: PaymentEventRow,
  payment: PaymentRow,
  type: WebhookEventType,
): WebhookBody {
  const asOfEvent = paymentAsOf(payment, event);
  return {
    id: webhookEventId(`pe${event.id}`, type),
    type,
    createdAt: event.createdAt.toISOString(),
    tenantId: event.tenantId,
    data: {
      ...toPaymentView(asOfEvent, { fullPhone: true }),
      seq: event.seq,
      previousStatus: event.fromStatus,
    },
  };
}

export function discrepancyBody(d: DiscrepancyRow, payment: PaymentRow | undefined): WebhookBody {
  const type: WebhookEventType = 'discrepancy.opened';
  return {
    id: webhookEventId(`dsc${d.id}`, type),
    type,
    createdAt: d.createdAt.toISOString(),
    tenantId: d.tenantId,
    data: {
      ...discrepancySummary(d),
      payment: payment ? toPaymentView(payment, { fullPhone: true }) : null,
    },
  };
}

/** `account.credited` / `account.debited`: the account's entry of one journal. */
export function accountEntryBody(
  tenantId: string,
  entry: StatementEntry & { accountId: string },
): WebhookBody {
  const type = typeForAccountEntry(entry);
  const { accountId, ...line } = entry;
  return {
    id: webhookEventId(`lj${entry.journalId}`, type),
    type,
    createdAt: entry.at,
    tenantId,
    data: { accountId, balance: entry.balanceAfter, entry: line },
  };
}
