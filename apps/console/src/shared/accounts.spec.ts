import fc from 'fast-check';
import {
  accountName,
  attemptKey,
  checkAdjustment,
  checkChargeAmount,
  entryChange,
  entryLabel,
  entrySource,
  joinPages,
  statementCsvHref,
  type StatementEntry,
} from './accounts';

const entry = (over: Partial<StatementEntry> = {}): StatementEntry => ({
  id: 'e1',
  type: 'DEPOSIT',
  amount: 500,
  balanceBefore: 0,
  balanceAfter: 500,
  journalId: 'j1',
  at: '2026-11-28T10:00:00.000Z',
  ...over,
});

describe('checkChargeAmount', () => {
  it('takes whole shillings of 1 and more, beyond M-Pesa’s limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (n) => {
        expect(checkChargeAmount(n.toLocaleString('en-KE'))).toEqual({ ok: true, amount: n });
      }),
    );
  });

  it('says what is wrong', () => {
    expect(checkChargeAmount('')).toMatchObject({ problem: expect.stringMatching(/Enter/) });
    expect(checkChargeAmount('12.5')).toMatchObject({ problem: expect.stringMatching(/Whole/) });
    expect(checkChargeAmount('-5')).toMatchObject({ problem: expect.stringMatching(/Whole/) });
    expect(checkChargeAmount('0')).toMatchObject({ problem: expect.stringMatching(/at least/) });
  });
});

describe('checkAdjustment', () => {
  it('keeps the sign of every non-zero whole amount, whichever minus was typed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((n) => n !== 0),
        fc.constantFrom('-', '−', '–'),
        (n, minus) => {
          const typed = n < 0 ? `${minus}${Math.abs(n)}` : String(n);
          expect(checkAdjustment(typed)).toEqual({ ok: true, amount: n });
        },
      ),
    );
  });

  it('refuses zero, blanks and fractions', () => {
    expect(checkAdjustment('0')).toMatchObject({ ok: false, problem: expect.stringMatching(/0/) });
    expect(checkAdjustment(' ')).toMatchObject({ ok: false });
    expect(checkAdjustment('-1.5')).toMatchObject({ ok: false });
    expect(checkAdjustment('+')).toMatchObject({ ok: false });
  });
});

describe('entryChange', () => {
  it('signs the change by the balances on either side, not by amount', () => {
    expect(entryChange(entry({ balanceBefore: 0, balanceAfter: 1_250 }))).toBe('+KES 1,250');
    expect(entryChange(entry({ amount: 200, balanceBefore: 700, balanceAfter: 500 }))).toBe(
      '−KES 200',
    );
    expect(entryChange(entry({ balanceBefore: 5, balanceAfter: 5 }))).toBe('KES 0');
  });
});

describe('entry labels', () => {
  it('names every type in plain words and keeps an unknown type as it is', () => {
    expect(['DEPOSIT', 'CHARGE', 'REVERSAL', 'ADJUSTMENT'].map(entryLabel)).toEqual([
      'Deposit',
      'Paid from balance',
      'Reversal',
      'Adjustment',
    ]);
    expect(entryLabel('REFUND')).toBe('REFUND');
  });

  it('shows the receipt, else the order, else a dash', () => {
    expect(entrySource(entry({ orderRef: 'AC7K2M9QXD-1', receipt: 'R1' }))).toBe('R1');
    expect(entrySource(entry({ orderRef: 'A-1', receipt: null }))).toBe('A-1');
    expect(entrySource(entry())).toBe('—');
  });
});

describe('joinPages', () => {
  it('keeps every entry once, in page order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 8 }), { maxLength: 5 }),
        (pages) => {
          const joined = joinPages(
            pages.map((ids) => ({ data: ids.map((n) => ({ id: String(n) })), nextCursor: null })),
          ).map((r) => r.id);
          const expected = [...new Set(pages.flat().map(String))];
          expect(joined).toEqual(expected);
        },
      ),
    );
  });
});

describe('attemptKey', () => {
  it('keeps the key while the same request is repeated and makes a new one when it changes', () => {
    let n = 0;
    const next = () => `k${++n}`;
    const first = attemptKey(null, { amount: 5, orderRef: 'A' }, next);
    expect(attemptKey(first, { amount: 5, orderRef: 'A' }, next)).toBe(first);
    const second = attemptKey(first, { amount: 6, orderRef: 'A' }, next);
    expect(second.key).toBe('k2');
    expect(first.key).toBe('k1');
  });
});

describe('account names and links', () => {
  it('adds the shop’s own reference when there is one', () => {
    expect(accountName({ name: 'Wanjiru', externalRef: 'C-17' })).toBe('Wanjiru (C-17)');
    expect(accountName({ name: 'Wanjiru', externalRef: null })).toBe('Wanjiru');
  });

  it('downloads the statement as CSV through the api', () => {
    expect(statementCsvHref('a b')).toBe('/v1/accounts/a%20b/statement?format=csv');
  });
});
