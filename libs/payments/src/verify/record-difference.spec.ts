import type { MpesaRecord } from '@malipo/daraja';
import type { PaymentRow } from '../infrastructure/payment-rows';
import { recordDifference } from './verify-status.follow-up';

const payment = (over: Partial<PaymentRow> = {}) =>
  ({
    status: 'succeeded',
    receipt: 'QKH94M1Z11',
    amount: 100,
    paidAmount: 100,
    ...over,
  }) as PaymentRow;
const record = (over: Partial<MpesaRecord> = {}): MpesaRecord => ({
  found: true,
  resultCode: '0',
  resultDesc: 'ok',
  receipt: 'QKH94M1Z11',
  amount: 100,
  status: 'Completed',
  ...over,
});

describe(recordDifference.name, () => {
  it('agrees when amount and status match', () => {
    expect(recordDifference(payment(), record())).toBeUndefined();
    expect(
      recordDifference(payment({ status: 'reversed' }), record({ status: 'Reversed' })),
    ).toBeUndefined();
  });

  it('names each difference', () => {
    expect(recordDifference(payment(), record({ found: false, resultCode: 'SFC_IC0003' }))).toMatch(
      /no record/,
    );
    expect(recordDifference(payment(), record({ amount: 90 }))).toMatch(/amount 90/);
    expect(recordDifference(payment(), record({ status: 'Reversed' }))).toMatch(
      /Reversed against Malipo succeeded/,
    );
    expect(recordDifference(payment({ status: 'reversed' }), record())).toMatch(
      /Completed against Malipo reversed/,
    );
  });
});
