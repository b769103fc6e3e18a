import { maskPhone } from '@malipo/common';
import type { PaymentStatus } from '../domain';
import type { PaymentRow } from '../infrastructure/payment-rows';

/** What a cashier may safely do next, so the till never has to guess. */
export type NextAction =
  'wait_for_customer' | 'check_again_later' | 'retry' | 'take_another_payment' | 'none';

export interface PaymentView {
  id: string;
  tenantId: string;
  channelId: string;
  terminalId: string | null;
  orderRef: string;
  /** Set on a deposit into a customer account (issue 17). */
  accountId: string | null;
  amount: number;
  currency: string;
  /** Full number for owners and ops; masked (last three digits) for terminals. */
  phone: string;
  description: string | null;
  /** The cashier the till named, if any. */
  cashier: string | null;
  status: PaymentStatus;
  receipt: string | null;
  failure: { code: string; message: string; retryable: boolean } | null;
  attempts: number;
  nextAction: NextAction;
  deadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
}

const NEXT_ACTION: Record<PaymentStatus, NextAction> = {
  created: 'wait_for_customer',
  awaiting_customer: 'wait_for_customer',
  // The prompt may be on the phone: pushing again could charge twice. Wait for the outcome.
  unknown: 'check_again_later',
  succeeded: 'none',
  failed: 'retry',
  cancelled: 'retry',
  expired: 'retry',
  reversed: 'take_another_payment',
  paid_cash: 'take_another_payment',
};

export function toPaymentView(row: PaymentRow, opts: { fullPhone: boolean }): PaymentView {
  const status = row.status as PaymentStatus;
  const retryable = row.failureRetryable ?? true;
  return {
    id: row.id,
    tenantId: row.tenantId,
    channelId: row.channelId,
    terminalId: row.terminalId,
    orderRef: row.orderRef,
    accountId: row.accountId,
    amount: row.amount,
    currency: row.currency,
    phone: opts.fullPhone ? row.phone : maskPhone(row.phone),
    description: row.description,
    cashier: row.cashier,
    status,
    receipt: row.receipt,
    failure: row.failureCode
      ? { code: row.failureCode, message: row.failureMessage ?? '', retryable }
      : null,
    attempts: row.attemptCount,
    nextAction:
      NEXT_ACTION[status] === 'retry' && !retryable ? 'take_another_payment' : NEXT_ACTION[status],
    deadlineAt: row.deadlineAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
  };
}

/**
 * A stored answer (an Idempotency-Key replay) as this caller may see it: answers are stored with
 * the full phone number, and a till sees only its last digits, however often it asks.
 */
export function storedViewFor(body: unknown, opts: { fullPhone: boolean }): unknown {
  if (opts.fullPhone || !body || typeof body !== 'object') return body;
  const view = body as Partial<PaymentView>;
  return typeof view.phone === 'string' ? { ...view, phone: maskPhone(view.phone) } : body;
}
