import type { PaymentView } from '@malipo/terminal-client';
import { api, unwrap } from '../shared/api';

const key = (): string => crypto.randomUUID();

export { fetchPayment } from '../shared/live-socket';

/** A sale's prompt (for an order) or a deposit's (into a customer account). */
export type PaymentRequest =
  | { orderRef: string; amount: number; phone: string; cashier?: string }
  | { accountId: string; amount: number; phone: string; cashier?: string };

export const startPayment = (body: PaymentRequest, idempotencyKey: string): Promise<PaymentView> =>
  unwrap<PaymentView>(
    api.POST('/v1/payments', {
      body,
      params: { header: { 'Idempotency-Key': idempotencyKey } },
    }),
  );

export const retryPayment = (id: string): Promise<PaymentView> =>
  unwrap<PaymentView>(
    api.POST('/v1/payments/{id}/retry', {
      params: { path: { id }, header: { 'Idempotency-Key': key() } },
    }),
  );

export const cancelPayment = (id: string): Promise<PaymentView> =>
  unwrap<PaymentView>(
    api.POST('/v1/payments/{id}/cancel', {
      params: { path: { id } },
      body: { reason: 'Cancelled at the till' },
    }),
  );

export const takeCash = (id: string): Promise<PaymentView> =>
  unwrap<PaymentView>(
    api.POST('/v1/payments/{id}/cash', {
      params: { path: { id } },
      body: { reason: 'Customer paid cash at the till' },
    }),
  );

export const newIdempotencyKey = key;
