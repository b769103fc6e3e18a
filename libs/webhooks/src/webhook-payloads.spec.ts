import { snapshotOf, type PaymentEventRow, type PaymentRow } from '@malipo/payments';
import { aPaymentRow } from '../../../test/factories/payment-row';
import { paymentEventBody } from './webhook-payloads';

const prompted = aPaymentRow();
const paid: PaymentRow = {
  ...prompted,
  status: 'succeeded',
  version: 3,
  receipt: 'TLA1B2C3D4',
  paidAmount: 150,
  paidAt: new Date('2026-11-22T10:00:20Z'),
  updatedAt: new Date('2026-11-22T10:00:21Z'),
  finalizedAt: new Date('2026-11-22T10:00:21Z'),
};
const promptedEvent: PaymentEventRow = {
  id: 41,
  tenantId: prompted.tenantId,
  paymentId: prompted.id,
  seq: 7,
  type: 'stk_accepted',
  fromStatus: 'created',
  toStatus: 'awaiting_customer',
  terminalId: null,
  data: {},
  paymentState: { ...snapshotOf(prompted) },
  createdAt: prompted.updatedAt,
};

describe(paymentEventBody.name, () => {
  it('describes the payment as the event left it, even when sent after the payment was paid', () => {
    const body = paymentEventBody(promptedEvent, paid, 'payment.updated');
    expect(body.data).toMatchObject({
      status: 'awaiting_customer',
      receipt: null,
      nextAction: 'wait_for_customer',
      finalizedAt: null,
      seq: 7,
      previousStatus: 'created',
    });
  });

  it('keeps the status-only fallback for events written before snapshots existed', () => {
    const body = paymentEventBody(
      { ...promptedEvent, paymentState: null },
      paid,
      'payment.updated',
    );
    expect(body.data).toMatchObject({ status: 'awaiting_customer', receipt: 'TLA1B2C3D4' });
  });
});
