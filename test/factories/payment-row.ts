import type { PaymentRow } from '@malipo/payments';

/** A payment row as the database returns it, for pure tests of what is built from one. */
export function aPaymentRow(overrides: Partial<PaymentRow> = {}): PaymentRow {
  return {
    id: '7d4d5f0e-2d1c-4f60-9a55-3b3a9c1f0a11',
    tenantId: '0b8f2f5c-4d7e-4d8e-8f59-1a4f7c2b9e10',
    channelId: '5a1c9e3b-6f2d-4b7a-9c8e-2d3f4a5b6c7d',
    terminalId: null,
    orderRef: 'ORDER-1',
    amount: 150,
    currency: 'KES',
    phone: '254700000123',
    description: null,
    cashier: null,
    status: 'awaiting_customer',
    version: 2,
    attemptCount: 1,
    currentAttemptId: 'a6f1c1de-0c8b-4a3e-8f0e-1b2c3d4e5f60',
    receipt: null,
    paidAmount: null,
    paidAt: null,
    failureCode: null,
    failureMessage: null,
    failureRetryable: null,
    deadlineAt: new Date('2026-11-22T10:01:00Z'),
    createdAt: new Date('2026-11-22T10:00:00Z'),
    updatedAt: new Date('2026-11-22T10:00:01Z'),
    finalizedAt: null,
    accountId: null,
    ...overrides,
  };
}
