import fc from 'fast-check';
import { parseC2bPayment } from './c2b-confirmation';

const confirmation = (over: Record<string, unknown> = {}) => ({
  TransactionType: 'Pay Bill',
  TransID: 'RKTQDM7W6S',
  TransTime: '20191122063845',
  TransAmount: '10.00',
  BusinessShortCode: '600638',
  BillRefNumber: 'invoice008',
  InvoiceNumber: '',
  OrgAccountBalance: '',
  ThirdPartyTransID: '',
  MSISDN: '2547 ***** 126',
  FirstName: 'John',
  MiddleName: '',
  LastName: 'Doe',
  ...over,
});

describe(parseC2bPayment.name, () => {
  it('reads the documented confirmation (all strings)', () => {
    expect(parseC2bPayment(confirmation())).toEqual({
      ok: true,
      value: {
        receipt: 'RKTQDM7W6S',
        transactionType: 'Pay Bill',
        transactedAt: new Date('2019-11-22T03:38:45Z'),
        amount: 10,
        shortcode: '600638',
        billRef: 'invoice008',
        msisdn: '2547 ***** 126',
        payerName: 'John Doe',
      },
    });
  });

  it('never throws, and accepts only whole positive amounts', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.oneof(fc.string(), fc.integer(), fc.double()),
        (junk, amount) => {
          expect(() => parseC2bPayment(junk)).not.toThrow();
          const r = parseC2bPayment(confirmation({ TransAmount: amount }));
          if (r.ok) {
            expect(Number.isInteger(r.value.amount)).toBe(true);
            expect(r.value.amount).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('treats receipts case-insensitively and the MSISDN as opaque text', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{10}$/),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (id, hash) => {
          const r = parseC2bPayment(confirmation({ TransID: id, MSISDN: hash }));
          expect(r).toMatchObject({ ok: true, value: { receipt: id.toUpperCase(), msisdn: hash } });
        },
      ),
    );
  });
});
