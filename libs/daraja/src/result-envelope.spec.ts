import {
  keyValues,
  parameterAmount,
  parameterText,
  parseResultEnvelope,
  type DarajaResult,
} from './result-envelope';

/** A Transaction Status success as Daraja posts it (REFERENCE §7.1), field by field below. */
const success = {
  Result: {
    ResultType: 0,
    ResultCode: 0,
    ResultDesc: 'The service request is processed successfully.',
    OriginatorConversationID: 'o-1',
    ConversationID: 'c-1',
    TransactionID: 'T1',
    ResultParameters: {
      ResultParameter: [
        { Key: 'Amount', Value: 100 },
        { Key: 'ReceiptNo', Value: 'ABC123DEF4' },
      ],
    },
    ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: 'x' } },
  },
};
const withResult = (patch: Record<string, unknown>) => ({
  Result: { ...success.Result, ...patch },
});
const value = (body: unknown): DarajaResult => {
  const parsed = parseResultEnvelope(body);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
  return parsed.value;
};

describe('parseResultEnvelope', () => {
  it('reads every field of a success', () => {
    expect(parseResultEnvelope(success)).toEqual({
      ok: true,
      value: {
        resultType: '0',
        resultCode: '0',
        resultDesc: 'The service request is processed successfully.',
        originatorConversationId: 'o-1',
        conversationId: 'c-1',
        transactionId: 'T1',
        parameters: { Amount: 100, ReceiptNo: 'ABC123DEF4' },
        reference: { Occasion: 'x' },
      },
    });
  });

  it.each([undefined, null, [], 'text', 1, {}, { Result: null }, { Result: [] }, { Result: 'x' }])(
    'refuses %p: no Result object',
    (body) => expect(parseResultEnvelope(body)).toEqual({ ok: false, reason: 'no Result object' }),
  );

  it.each([undefined, null, '', '   ', NaN, Infinity, {}, true])('refuses ResultCode %p', (code) =>
    expect(parseResultEnvelope(withResult({ ResultCode: code }))).toEqual({
      ok: false,
      reason: 'no ResultCode',
    }),
  );

  it('keeps a text ResultCode, trimmed, and a numeric one as text', () => {
    expect(value(withResult({ ResultCode: ' R000001 ' })).resultCode).toBe('R000001');
    expect(value(withResult({ ResultCode: 2001 })).resultCode).toBe('2001');
  });

  it('refuses a result with neither conversation id', () => {
    expect(
      parseResultEnvelope(withResult({ ConversationID: undefined, OriginatorConversationID: '' })),
    ).toEqual({ ok: false, reason: 'no conversation id' });
  });

  it('accepts either conversation id alone, the other empty', () => {
    expect(value(withResult({ ConversationID: undefined }))).toMatchObject({
      conversationId: '',
      originatorConversationId: 'o-1',
    });
    expect(value(withResult({ OriginatorConversationID: null }))).toMatchObject({
      conversationId: 'c-1',
      originatorConversationId: '',
    });
  });

  it('writes numbers as text in text fields, and anything else as empty', () => {
    expect(value(withResult({ TransactionID: 5, ResultDesc: NaN, ResultType: {} }))).toMatchObject({
      transactionId: '5',
      resultDesc: '',
      resultType: '',
    });
  });

  it('reads a failure without ResultParameters or ReferenceData as empty maps', () => {
    expect(
      value(withResult({ ResultParameters: undefined, ReferenceData: undefined })),
    ).toMatchObject({ parameters: {}, reference: {} });
    expect(value(withResult({ ResultParameters: [], ReferenceData: 'x' }))).toMatchObject({
      parameters: {},
      reference: {},
    });
  });
});

describe('keyValues', () => {
  it('reads one object or an array of them; nothing is an empty map', () => {
    expect(keyValues({ Key: 'A', Value: 1 })).toEqual({ A: 1 });
    expect(
      keyValues([
        { Key: 'A', Value: 1 },
        { Key: 'B', Value: 'b' },
      ]),
    ).toEqual({ A: 1, B: 'b' });
    expect(keyValues(undefined)).toEqual({});
    expect(keyValues(null)).toEqual({});
  });

  it('keeps a key sent without a Value, with undefined', () => {
    const kv = keyValues([{ Key: 'BOCompletedTime' }]);
    expect(Object.keys(kv)).toEqual(['BOCompletedTime']);
    expect(kv.BOCompletedTime).toBeUndefined();
  });

  it('keeps the first of a repeated key, trims keys, skips empty keys and non-objects', () => {
    expect(
      keyValues([
        { Key: ' A ', Value: 1 },
        { Key: 'A', Value: 2 },
        { Key: '  ', Value: 3 },
        { Value: 4 },
        'junk',
        null,
        [{ Key: 'C', Value: 5 }],
        { Key: 7, Value: 'seven' },
      ]),
    ).toEqual({ A: 1, '7': 'seven' });
  });

  it('keeps text and finite numbers as values; anything else is undefined', () => {
    const kv = keyValues([
      { Key: 'a', Value: 'x' },
      { Key: 'b', Value: 0 },
      { Key: 'c', Value: NaN },
      { Key: 'd', Value: { nested: 1 } },
      { Key: 'e', Value: null },
    ]);
    expect(kv).toEqual({ a: 'x', b: 0, c: undefined, d: undefined, e: undefined });
  });
});

describe('parameterText and parameterAmount', () => {
  const result = value(
    withResult({
      ResultParameters: {
        ResultParameter: [
          { Key: 'Amount', Value: '10.00' },
          { Key: 'Fractional', Value: '10.50' },
          { Key: 'Number', Value: 42 },
        ],
      },
    }),
  );

  it('reads a parameter as text, empty when absent', () => {
    expect(parameterText(result, 'Number')).toBe('42');
    expect(parameterText(result, 'Amount')).toBe('10.00');
    expect(parameterText(result, 'Missing')).toBe('');
  });

  it('reads whole shillings; a fraction or an absent key is undefined', () => {
    expect(parameterAmount(result, 'Amount')).toBe(10);
    expect(parameterAmount(result, 'Number')).toBe(42);
    expect(parameterAmount(result, 'Fractional')).toBeUndefined();
    expect(parameterAmount(result, 'Missing')).toBeUndefined();
  });
});
