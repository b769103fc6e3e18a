import { parseC2bPayment, type C2bPayment } from './c2b-confirmation';

/** A C2B Confirmation as Daraja posts it (REFERENCE §7.2): every value is text. */
const confirmation = {
  TransactionType: 'Pay Bill',
  TransID: 'rkl31s8ptk',
  TransTime: '20261128103015',
  TransAmount: '65.00',
  BusinessShortCode: '174379',
  BillRefNumber: ' ORDER-17 ',
  InvoiceNumber: '',
  OrgAccountBalance: '',
  ThirdPartyTransID: '',
  MSISDN: '2547 ***** 126',
  FirstName: 'Jane',
  MiddleName: '',
  LastName: 'Wanjiru',
};
const parse = (patch: Record<string, unknown> = {}) =>
  parseC2bPayment({ ...confirmation, ...patch });
const value = (patch: Record<string, unknown> = {}): C2bPayment => {
  const parsed = parse(patch);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  return parsed.value;
};

describe('parseC2bPayment', () => {
  it('reads every field, the receipt upper-cased and the time in East Africa Time', () => {
    expect(parse()).toEqual({
      ok: true,
      value: {
        receipt: 'RKL31S8PTK',
        transactionType: 'Pay Bill',
        transactedAt: new Date('2026-11-28T07:30:15Z'),
        amount: 65,
        shortcode: '174379',
        billRef: 'ORDER-17',
        msisdn: '2547 ***** 126',
        payerName: 'Jane Wanjiru',
      },
    });
  });

  it.each([undefined, null, 'text', 5, [confirmation]])('refuses %p: not an object', (body) =>
    expect(parseC2bPayment(body)).toEqual({ ok: false, reason: 'not an object' }),
  );

  it.each([undefined, '', 'ABC12', 'ABC-123456', 'A'.repeat(21), {}])('refuses TransID %p', (id) =>
    expect(parse({ TransID: id })).toEqual({ ok: false, reason: 'bad TransID' }),
  );

  it('accepts a receipt of 6 to 20 letters and digits, trimmed', () => {
    expect(value({ TransID: ' abc123 ' }).receipt).toBe('ABC123');
    expect(value({ TransID: 'A'.repeat(20) }).receipt).toBe('A'.repeat(20));
  });

  it.each([undefined, '', '0', '0.00', '10.50', '-5', 'ten', {}, NaN])(
    'refuses TransAmount %p',
    (amount) =>
      expect(parse({ TransAmount: amount })).toEqual({ ok: false, reason: 'bad TransAmount' }),
  );

  it('takes whole shillings as text or number', () => {
    expect(value({ TransAmount: '1' }).amount).toBe(1);
    expect(value({ TransAmount: 250000 }).amount).toBe(250000);
  });

  it.each([undefined, '', '1234', '123456789', '17437A', 12.5])(
    'refuses BusinessShortCode %p',
    (code) =>
      expect(parse({ BusinessShortCode: code })).toEqual({
        ok: false,
        reason: 'bad BusinessShortCode',
      }),
  );

  it('takes a shortcode of 5 to 8 digits, as text or number', () => {
    expect(value({ BusinessShortCode: 12345 }).shortcode).toBe('12345');
    expect(value({ BusinessShortCode: ' 12345678 ' }).shortcode).toBe('12345678');
  });

  it('uses the time of receipt when TransTime is missing or unreadable', () => {
    const before = Date.now();
    const at = value({ TransTime: 'yesterday' }).transactedAt.getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('joins the names that are present, and caps the free-text fields', () => {
    expect(value({ FirstName: ' Jane ', MiddleName: 'W', LastName: undefined }).payerName).toBe(
      'Jane W',
    );
    expect(value({ FirstName: undefined, LastName: undefined }).payerName).toBe('');
    expect(value({ FirstName: 'N'.repeat(200) }).payerName).toHaveLength(120);
    expect(value({ BillRefNumber: 'R'.repeat(50) }).billRef).toBe('R'.repeat(40));
    expect(value({ MSISDN: 'M'.repeat(100) }).msisdn).toBe('M'.repeat(80));
    expect(value({ BillRefNumber: undefined, TransactionType: 7 })).toMatchObject({
      billRef: '',
      transactionType: '7',
    });
  });
});
