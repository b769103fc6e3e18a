import { parseStkCallback, parseStkCallbackText } from './stk-callback';

/** A valid success callback, field by field as REFERENCE §4 shows it. */
const ITEMS = [
  { Name: 'Amount', Value: 100 },
  { Name: 'MpesaReceiptNumber', Value: 'NLJ7RT61SV' },
  { Name: 'Balance' },
  { Name: 'TransactionDate', Value: 20191219102115 },
  { Name: 'PhoneNumber', Value: 254708374149 },
];
const STK = {
  MerchantRequestID: '29115-34620561-1',
  CheckoutRequestID: 'ws_CO_191220191020363925',
  ResultCode: 0,
  ResultDesc: 'The service request is processed successfully.',
  CallbackMetadata: { Item: ITEMS },
};
const PAID = {
  kind: 'paid',
  resultCode: '0',
  resultDesc: 'The service request is processed successfully.',
  receipt: 'NLJ7RT61SV',
  amount: 100,
  phone: '254708374149',
  transactionDate: '20191219102115',
};

const MISSING = Symbol('missing');
type FieldValue = unknown | typeof MISSING;

function withField(field: string, value: FieldValue): unknown {
  const stk: Record<string, unknown> = { ...STK };
  if (value === MISSING) delete stk[field];
  else stk[field] = value;
  return { Body: { stkCallback: stk } };
}
function withItem(name: string, value: FieldValue): unknown {
  const items = ITEMS.filter((i) => i.Name !== name);
  if (value !== MISSING) items.push({ Name: name, Value: value as number });
  return { Body: { stkCallback: { ...STK, CallbackMetadata: { Item: items } } } };
}
const outcomeOf = (body: unknown) => {
  const parsed = parseStkCallback(body);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  return parsed.value.outcome;
};

/** Missing, null, blank and wrongly typed: the values every field is tried with. */
const ABSENT: [string, FieldValue][] = [
  ['missing', MISSING],
  ['null', null],
  ['empty', ''],
  ['blank', '   '],
  ['a boolean', true],
  ['an object', { value: 'x' }],
  ['an array', ['x']],
];

describe(`${parseStkCallback.name} field by field`, () => {
  it('reads the whole success callback', () => {
    expect(parseStkCallback(withField('ResultDesc', STK.ResultDesc))).toEqual({
      ok: true,
      value: {
        merchantRequestId: STK.MerchantRequestID,
        checkoutRequestId: STK.CheckoutRequestID,
        outcome: PAID,
      },
    });
  });

  it('reads the same callback with its fields and items in another order', () => {
    const reversed = Object.fromEntries(Object.entries(STK).reverse());
    const body = {
      Body: { stkCallback: { ...reversed, CallbackMetadata: { Item: [...ITEMS].reverse() } } },
    };
    expect(outcomeOf(body)).toEqual(PAID);
    expect(parseStkCallbackText(JSON.stringify(body))).toEqual(parseStkCallback(body));
  });

  describe.each(['MerchantRequestID', 'CheckoutRequestID', 'ResultCode'])('%s', (field) => {
    // A number is a ResultCode's usual form, and a wrong type for the ids.
    const refused: [string, FieldValue][] =
      field === 'ResultCode' ? ABSENT : [...ABSENT, ['a number', 12]];
    it.each(refused)('refuses the callback when it is %s', (_, value) => {
      expect(parseStkCallback(withField(field, value))).toEqual({
        ok: false,
        reason: `${field} is missing`,
      });
    });
  });

  it.each([
    ['a string', '0', 'paid'],
    ['padded', ' 0 ', 'paid'],
    ['a number', 1032, 'cancelled_by_customer'],
    ['a string of another code', '1037', 'timed_out'],
  ])('reads ResultCode written as %s', (_, code, kind) => {
    expect(outcomeOf(withField('ResultCode', code)).kind).toBe(kind);
  });

  it.each([...ABSENT, ['a number', 5]])(
    'reads ResultDesc %s as text, never as a refusal',
    (_, value) => {
      // Only a description: text is kept as sent, anything else is no description.
      const resultDesc = typeof value === 'string' ? value : '';
      expect(outcomeOf(withField('ResultDesc', value))).toEqual({ ...PAID, resultDesc });
    },
  );

  it.each([...ABSENT, ['a number', 5], ['a list of junk', [null, 5, 'x', [], { Name: 5 }]]])(
    'reads a success whose CallbackMetadata is %s, without any detail',
    (_, value) => {
      const { receipt, amount, phone, transactionDate, ...bare } = PAID;
      expect([receipt, amount, phone, transactionDate]).not.toContain(undefined);
      const metadata = Array.isArray(value) ? { Item: value } : value;
      expect(outcomeOf(withField('CallbackMetadata', metadata))).toEqual(bare);
    },
  );

  it('skips unreadable items and still reads the others', () => {
    const items = [null, 7, 'Amount', [], { Value: 'X' }, { Name: null, Value: 1 }, ...ITEMS];
    expect(outcomeOf(withField('CallbackMetadata', { Item: items }))).toEqual(PAID);
  });

  describe.each([
    ['MpesaReceiptNumber', 'receipt'],
    ['Amount', 'amount'],
    ['PhoneNumber', 'phone'],
    ['TransactionDate', 'transactionDate'],
  ])('item %s', (name, key) => {
    it.each([...ABSENT, ['a fraction', 1.5]])('leaves %s out, never as "undefined"', (_, value) => {
      const outcome = outcomeOf(withItem(name, value));
      expect(outcome).not.toHaveProperty(key);
      const { [key as keyof typeof PAID]: _dropped, ...rest } = PAID;
      expect(outcome).toEqual(rest);
    });

    it('leaves it out when two items of that name disagree, keeps it when they agree', () => {
      const item = ITEMS.find((i) => i.Name === name)!;
      const twice = (other: unknown) =>
        withField('CallbackMetadata', { Item: [...ITEMS, { Name: name, Value: other }] });
      expect(outcomeOf(twice('2'))).not.toHaveProperty(key);
      expect(outcomeOf(twice(item.Value))).toEqual(PAID);
    });
  });

  it('reads text forms of the numbers, trimmed', () => {
    const body = withField('CallbackMetadata', {
      Item: [
        { Name: 'Amount', Value: '100.00' },
        { Name: 'MpesaReceiptNumber', Value: ' nlj7rt61sv ' },
        { Name: 'TransactionDate', Value: ' 20191219102115 ' },
        { Name: 'PhoneNumber', Value: '254708374149' },
      ],
    });
    expect(outcomeOf(body)).toEqual(PAID);
  });

  it('reads no payment details on a callback that is not a success', () => {
    expect(outcomeOf(withField('ResultCode', 1032))).toEqual({
      kind: 'cancelled_by_customer',
      resultCode: '1032',
      resultDesc: STK.ResultDesc,
    });
  });

  it('reads only own fields: nothing comes from an inherited __proto__', () => {
    const raw =
      '{"Body":{"stkCallback":{"__proto__":{"MerchantRequestID":"m"},' +
      '"CheckoutRequestID":"c","ResultCode":0}}}';
    expect(parseStkCallbackText(raw)).toEqual({
      ok: false,
      reason: 'MerchantRequestID is missing',
    });
  });

  it.each([
    ['no Body', { stkCallback: STK }],
    ['Body null', { Body: null }],
    ['stkCallback a list', { Body: { stkCallback: [STK] } }],
    ['stkCallback a string', { Body: { stkCallback: 'x' } }],
  ])('refuses a body with %s', (_, body) => {
    expect(parseStkCallback(body)).toEqual({ ok: false, reason: 'Body.stkCallback is missing' });
  });
});

describe(`${parseStkCallback.name} when reading throws`, () => {
  it.each([
    ['an error', new Error('boom'), 'unreadable callback: boom'],
    ['something else', null, 'unreadable callback: error'],
  ])('answers a refusal instead of throwing %s', (_, thrown, reason) => {
    const body = Object.defineProperty({}, 'Body', {
      enumerable: true,
      get() {
        throw thrown;
      },
    });
    expect(parseStkCallback(body)).toEqual({ ok: false, reason });
  });

  it('names the whole path of a control character', () => {
    const parsed = parseStkCallback(withField('ResultDesc', 'ok\u0007'));
    expect(parsed).toEqual({
      ok: false,
      reason: 'control character in Body.stkCallback.ResultDesc',
    });
  });
});
