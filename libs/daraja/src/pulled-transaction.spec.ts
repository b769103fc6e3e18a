import { normalisePulledRow, pulledRows } from './pulled-transaction';
import { pullDateTime } from './pull-transactions';

/** A statement row as REFERENCE §7.3 lists its fields. */
const ROW = {
  transactionId: 'tkm1234567',
  trxDate: '2026-11-22T11:00:05Z',
  msisdn: '2547******149',
  transactiontype: 'c2b-pay-bill-debit',
  billreference: 'ORDER42',
  amount: '100.00',
  organizationname: 'Shop',
};
const READ = {
  transactionId: 'TKM1234567',
  trxDate: new Date('2026-11-22T11:00:05Z'),
  msisdn: '2547******149',
  billReference: 'ORDER42',
  amount: 100,
  transactionType: 'c2b-pay-bill-debit',
};

const without = (field: string) =>
  Object.fromEntries(Object.entries(ROW).filter(([k]) => k !== field));

describe(normalisePulledRow.name, () => {
  it('reads a row, receipt upper-cased and amount in whole shillings', () => {
    expect(normalisePulledRow(ROW)).toEqual(READ);
  });

  it('reads the same row with its fields in another order, numbers as text', () => {
    const reordered = Object.fromEntries(Object.entries(ROW).reverse());
    expect(normalisePulledRow({ ...reordered, amount: 100 })).toEqual(READ);
    expect(normalisePulledRow({ ...ROW, transactionId: 12345 })?.transactionId).toBe('12345');
  });

  it.each(['transactionId', 'trxDate', 'amount'])(
    'drops a row whose %s is missing, null, blank or of a wrong type',
    (field) => {
      expect(normalisePulledRow(without(field))).toBeUndefined();
      for (const value of [null, '', '   ', true, {}, ['x']]) {
        expect(normalisePulledRow({ ...ROW, [field]: value })).toBeUndefined();
      }
    },
  );

  it.each([
    ['a fraction', '10.50'],
    ['hex', '0xA'],
    ['an exponent', '1e2'],
    ['negative', '-100'],
  ])('drops a row whose amount is %s', (_, amount) => {
    expect(normalisePulledRow({ ...ROW, amount })).toBeUndefined();
  });

  it.each(['msisdn', 'billreference', 'transactiontype'])(
    'keeps a row whose %s is missing or unreadable, as empty text',
    (field) => {
      const key = { msisdn: 'msisdn', billreference: 'billReference' }[field] ?? 'transactionType';
      expect(normalisePulledRow(without(field))).toEqual({ ...READ, [key]: '' });
      expect(normalisePulledRow({ ...ROW, [field]: { x: 1 } })).toEqual({ ...READ, [key]: '' });
    },
  );

  it.each([
    ['UTC', '2026-11-22T11:00:05Z', '2026-11-22T11:00:05.000Z'],
    ['an offset', '2026-11-22T14:00:05+03:00', '2026-11-22T11:00:05.000Z'],
    ['no zone: East Africa Time', '2026-11-22T14:00:05', '2026-11-22T11:00:05.000Z'],
    ['a space and no seconds', '2026-11-22 14:00', '2026-11-22T11:00:00.000Z'],
    ['a fraction', '2026-11-22T11:00:05.250Z', '2026-11-22T11:00:05.250Z'],
    ['padding', ' 2026-11-22T14:00:05 ', '2026-11-22T11:00:05.000Z'],
    ['an offset without a colon', '2026-11-22T14:00:05+0300', '2026-11-22T11:00:05.000Z'],
  ])('reads a trxDate with %s', (_, trxDate, iso) => {
    expect(normalisePulledRow({ ...ROW, trxDate })?.trxDate.toISOString()).toBe(iso);
  });

  it.each([
    '1',
    '2026',
    'Sun Nov 22 2026',
    '2026-13-40T25:00:00',
    '2026-11-22T11:00:05 Z',
    1764000000,
  ])('drops a row whose trxDate %j is not an ISO date and time', (trxDate) => {
    expect(normalisePulledRow({ ...ROW, trxDate })).toBeUndefined();
  });
});

describe(pulledRows.name, () => {
  it('reads the rows of a flat list and of a list of lists, skipping what is not a row', () => {
    expect(pulledRows({ Response: [ROW, ROW] })).toEqual([ROW, ROW]);
    expect(pulledRows({ Response: [[ROW], [[ROW]], null, 'x', 5] })).toEqual([ROW, ROW]);
  });

  it.each([null, undefined, 'x', {}, { Response: null }, { Response: {} }, { Response: 'x' }])(
    'reads no rows from %j',
    (data) => {
      expect(pulledRows(data)).toEqual([]);
    },
  );
});

describe(pullDateTime.name, () => {
  it('writes the EAT wall clock as YYYY-MM-DD HH:mm:ss', () => {
    expect(pullDateTime(new Date('2026-11-22T21:05:09Z'))).toBe('2026-11-23 00:05:09');
  });
});
