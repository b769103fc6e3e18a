import fc from 'fast-check';
import { checkoutRequestId, eatTimestamp, merchantRequestId, receiptNumber } from './sim-ids';

const dates = fc.date({
  min: new Date('2017-01-01'),
  max: new Date('2031-12-31'),
  noInvalidDate: true,
});

describe('simulator identifiers', () => {
  it('CheckoutRequestID is ws_CO_ + DDMMYYYY HHmmss ms (EAT) + 9-digit national number', () => {
    expect(checkoutRequestId(new Date('2022-05-23T09:21:37.653Z'), '254708374149')).toBe(
      'ws_CO_23052022122137653708374149',
    );
    fc.assert(
      fc.property(dates, fc.stringMatching(/^254[17]\d{8}$/), (at, phone) => {
        expect(checkoutRequestId(at, phone)).toMatch(
          new RegExp(`^ws_CO_\\d{8}\\d{6}\\d{3}${phone.slice(-9)}$`),
        );
      }),
    );
  });

  it('receipts are 10 uppercase alphanumerics led by year, month and day letters', () => {
    expect(receiptNumber(new Date('2019-12-19T07:21:15Z'))).toMatch(/^NLJ[A-Z0-9]{7}$/);
    fc.assert(
      fc.property(dates, (at) => {
        const receipt = receiptNumber(at);
        expect(receipt).toMatch(/^[A-Z0-9]{10}$/);
        const month = Number(eatTimestamp(at).slice(4, 6));
        expect(receipt[1]).toBe(String.fromCharCode(64 + month));
      }),
    );
  });

  it('MerchantRequestID follows the 2024+ shape', () => {
    expect(merchantRequestId()).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8}\d{8}$/);
  });
});
