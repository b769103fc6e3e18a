import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import {
  CallbackToken,
  PaymentService,
  PaymentsRepository,
  type PaymentEvent,
} from '@malipo/payments';

export interface AcceptedPayment {
  tenantId: string;
  paymentId: string;
  attemptId: string;
  checkoutRequestId: string;
  merchantRequestId: string;
  amount: number;
  phone: string;
  /** Path of this attempt's callback URL, e.g. /v1/hooks/stk/<token>. */
  callbackPath: string;
}

/**
 * A payment whose push Daraja accepted, made straight through the core (no simulator), so fault
 * tests can fire hundreds of callbacks at known attempts.
 */
export async function createAcceptedPayment(
  core: INestApplicationContext,
  t: { tenantId: string; channelId: string },
  opts: { amount?: number; phone?: string; accept?: boolean } = {},
): Promise<AcceptedPayment> {
  const repo = core.get(PaymentsRepository);
  const payments = core.get(PaymentService);
  const token = core.get(CallbackToken);
  const tenantId = asTenantId(t.tenantId);
  const amount = opts.amount ?? 100;
  const phone = opts.phone ?? `2547${randomBytes(4).readUInt32BE() % 100_000_000}`.padEnd(12, '0');
  const { payment, attemptId } = await repo.db.transaction((tx) =>
    repo.insertPaymentWithAttempt(tx, tenantId, 120, {
      channelId: t.channelId,
      terminalId: null,
      orderRef: `F-${randomBytes(6).toString('hex')}`,
      amount,
      phone,
      description: null,
    }),
  );
  const checkoutRequestId = `ws_CO_${randomBytes(10).toString('hex')}`;
  const merchantRequestId = `${randomBytes(2).toString('hex')}-${randomBytes(8).toString('hex')}`;
  if (opts.accept !== false) {
    await payments.apply(
      tenantId,
      payment.id,
      { type: 'stk_accepted', attemptId, merchantRequestId, checkoutRequestId },
      { source: 'api' },
    );
  }
  return {
    tenantId: t.tenantId,
    paymentId: payment.id,
    attemptId,
    checkoutRequestId,
    merchantRequestId,
    amount,
    phone,
    callbackPath: `/v1/hooks/stk/${token.issue({ tenantId, attemptId })}`,
  };
}

let receiptCounter = 0;

/** A receipt number in Safaricom's shape (10 uppercase alphanumerics), unique in this run. */
export function aReceipt(): string {
  receiptCounter += 1;
  return `T${randomBytes(3).toString('hex').toUpperCase()}${String(receiptCounter % 1000).padStart(3, '0')}`;
}

/** Daraja's exact STK callback JSON (REFERENCE §4.1/4.2). */
export function stkCallbackBody(
  p: Pick<AcceptedPayment, 'checkoutRequestId' | 'merchantRequestId' | 'amount' | 'phone'>,
  opts: { resultCode?: number; resultDesc?: string; receipt?: string; amount?: number } = {},
): Record<string, unknown> {
  const resultCode = opts.resultCode ?? 0;
  const stkCallback: Record<string, unknown> = {
    MerchantRequestID: p.merchantRequestId,
    CheckoutRequestID: p.checkoutRequestId,
    ResultCode: resultCode,
    ResultDesc:
      opts.resultDesc ??
      (resultCode === 0
        ? 'The service request is processed successfully.'
        : 'Request cancelled by user'),
  };
  if (resultCode === 0) {
    stkCallback.CallbackMetadata = {
      Item: [
        { Name: 'Amount', Value: opts.amount ?? p.amount },
        { Name: 'MpesaReceiptNumber', Value: opts.receipt ?? aReceipt() },
        { Name: 'Balance' },
        { Name: 'TransactionDate', Value: 20261122103015 },
        { Name: 'PhoneNumber', Value: Number(p.phone) },
      ],
    };
  }
  return { Body: { stkCallback } };
}

/** What M-Pesa's success callback for `p` becomes: the `paid` event, with a fresh receipt. */
export function paidEvent(p: { attemptId: string; amount: number }): PaymentEvent {
  return {
    type: 'paid',
    attemptId: p.attemptId,
    receipt: aReceipt(),
    amount: p.amount,
    paidAt: new Date().toISOString(),
  };
}
