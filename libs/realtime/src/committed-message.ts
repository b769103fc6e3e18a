import {
  paymentAsOf,
  toPaymentView,
  type PaymentEventRow,
  type PaymentRow,
} from '@malipo/payments';
import type { PaymentUpdated } from '@malipo/realtime-protocol';

/** What travels between replicas: the client payload plus where it may go. */
export interface CommittedMessage extends PaymentUpdated {
  tenantId: string;
  terminalId: string | null;
}

/**
 * The client payload of one committed event: the payment as that event left it (a replayed event
 * does not show a later state), with the phone always masked over the socket.
 */
export function paymentUpdated(payment: PaymentRow, event: PaymentEventRow): PaymentUpdated {
  return {
    seq: event.seq,
    event: { type: event.type, from: event.fromStatus, to: event.toStatus },
    payment: toPaymentView(paymentAsOf(payment, event), { fullPhone: false }),
  };
}

export function committedMessage(payment: PaymentRow, event: PaymentEventRow): CommittedMessage {
  return {
    ...paymentUpdated(payment, event),
    tenantId: event.tenantId,
    // The event row's terminal is the one the payment was taken at when it happened.
    terminalId: event.terminalId,
  };
}
