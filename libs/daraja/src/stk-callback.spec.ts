import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseStkCallback, parseStkCallbackText } from './stk-callback';

const fixture = (name: string): unknown =>
  JSON.parse(
    readFileSync(path.join(__dirname, '../../../test/fixtures/daraja', `${name}.json`), 'utf8'),
  );

describe(parseStkCallback.name, () => {
  it('reads the recorded success callback, metadata by name', () => {
    expect(parseStkCallback(fixture('stk-callback-success'))).toEqual({
      ok: true,
      value: {
        merchantRequestId: '29115-34620561-1',
        checkoutRequestId: 'ws_CO_191220191020363925',
        outcome: {
          kind: 'paid',
          resultCode: '0',
          resultDesc: 'The service request is processed successfully.',
          receipt: 'NLJ7RT61SV',
          amount: 1,
          phone: '254708374149',
          transactionDate: '20191219102115',
        },
      },
    });
  });

  it('reads Amount written as 1.00, byte for byte as Daraja sends it', () => {
    // Prettier rewrites 1.00 in the JSON fixture; keep the wire text here.
    const wire =
      '{"Body":{"stkCallback":{"MerchantRequestID":"29115-34620561-1","CheckoutRequestID":' +
      '"ws_CO_191220191020363925","ResultCode":0,"ResultDesc":"The service request is processed ' +
      'successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":1.00},{"Name":' +
      '"MpesaReceiptNumber","Value":"NLJ7RT61SV"},{"Name":"Balance"},{"Name":"TransactionDate",' +
      '"Value":20191219102115},{"Name":"PhoneNumber","Value":254708374149}]}}}}';
    expect(parseStkCallback(JSON.parse(wire))).toEqual(
      parseStkCallback(fixture('stk-callback-success')),
    );
  });

  it('reads the recorded cancellation', () => {
    const parsed = parseStkCallback(fixture('stk-callback-cancelled'));
    expect(parsed).toEqual({
      ok: true,
      value: {
        merchantRequestId: 'f1e2-4b95-a71d-b30d3cdbb7a7942864',
        checkoutRequestId: 'ws_CO_21072024125243250722943992',
        outcome: {
          kind: 'cancelled_by_customer',
          resultCode: '1032',
          resultDesc: 'Request cancelled by user',
        },
      },
    });
  });

  it('does not depend on item order, a missing Balance, or string values', () => {
    const body = {
      Body: {
        stkCallback: {
          MerchantRequestID: 'm',
          CheckoutRequestID: 'c',
          ResultCode: '0',
          ResultDesc: 'ok',
          CallbackMetadata: {
            Item: [
              { Name: 'PhoneNumber', Value: '2547 ***** 126' },
              { Name: 'TransactionDate', Value: '20250101120000' },
              { Name: 'MpesaReceiptNumber', Value: 'TA1ABCDEFG' },
              { Name: 'Amount', Value: '10.00' },
            ],
          },
        },
      },
    };
    const parsed = parseStkCallback(body);
    expect(parsed.ok && parsed.value.outcome).toEqual({
      kind: 'paid',
      resultCode: '0',
      resultDesc: 'ok',
      receipt: 'TA1ABCDEFG',
      amount: 10,
      phone: '2547 ***** 126',
      transactionDate: '20250101120000',
    });
  });

  const paidWith = (items: { Name: string; Value?: unknown }[], extra = {}) => ({
    Body: {
      stkCallback: {
        MerchantRequestID: 'm',
        CheckoutRequestID: 'c',
        ResultCode: 0,
        ResultDesc: 'ok',
        CallbackMetadata: { Item: items },
        ...extra,
      },
    },
  });
  const paidOutcome = (body: unknown) => {
    const parsed = parseStkCallback(body);
    if (!parsed.ok || parsed.value.outcome.kind !== 'paid') throw new Error('not a paid callback');
    return parsed.value.outcome;
  };

  it.each([
    [10, 10],
    ['10', 10],
    ['10.00', 10],
    ['10.0', 10],
    [' 10 ', undefined],
    ['0xA', undefined],
    ['1e1', undefined],
    [10.004, undefined],
    ['10.004', undefined],
    ['10.50', undefined],
    [-0.5, undefined],
    ['-10', undefined],
    ['', undefined],
    [true, undefined],
    [1e300, undefined],
  ])('reads Amount %j strictly as %s (anything but whole shillings is no amount)', (v, amount) => {
    expect(paidOutcome(paidWith([{ Name: 'Amount', Value: v }])).amount).toBe(amount);
  });

  it('keeps receipts in their canonical upper-case form', () => {
    const outcome = paidOutcome(paidWith([{ Name: 'MpesaReceiptNumber', Value: ' nlj7rt61sv ' }]));
    expect(outcome.receipt).toBe('NLJ7RT61SV');
  });

  it.each([
    ['ResultDesc', { ResultDesc: 'ok\u0000' }],
    ['CheckoutRequestID', { CheckoutRequestID: 'ws_CO_\u0001' }],
    ['Item[0].Value', {}],
  ])('refuses a control character in %s as an invalid payload', (field, extra) => {
    const body = paidWith([{ Name: 'MpesaReceiptNumber', Value: 'AB\u0000C' }], extra);
    const parsed = parseStkCallback(body);
    expect(parsed).toEqual({ ok: false, reason: expect.stringContaining('control character') });
    if (!parsed.ok) expect(parsed.reason).toContain(field);
  });

  it('reads the raw text as JSON whatever it was labelled, and says when it is not JSON', () => {
    const body = paidWith([{ Name: 'Amount', Value: 5 }]);
    expect(parseStkCallbackText(JSON.stringify(body))).toEqual(parseStkCallback(body));
    expect(parseStkCallbackText('not json')).toEqual({ ok: false, reason: 'body is not JSON' });
  });

  it('keeps a non-numeric ResultCode as a failure', () => {
    const parsed = parseStkCallback({
      Body: {
        stkCallback: {
          MerchantRequestID: 'm',
          CheckoutRequestID: 'c',
          ResultCode: 'SFC_IC0003',
          ResultDesc: 'The operator does not exist.',
        },
      },
    });
    expect(parsed.ok && parsed.value.outcome).toMatchObject({
      kind: 'failed',
      resultCode: 'SFC_IC0003',
      retryable: false,
    });
  });

  it.each([
    [null, 'Body.stkCallback'],
    [{ Body: {} }, 'Body.stkCallback'],
    [{ Body: { stkCallback: { CheckoutRequestID: 'c', ResultCode: 0 } } }, 'MerchantRequestID'],
    [{ Body: { stkCallback: { MerchantRequestID: 'm', ResultCode: 0 } } }, 'CheckoutRequestID'],
    [{ Body: { stkCallback: { MerchantRequestID: 'm', CheckoutRequestID: 'c' } } }, 'ResultCode'],
  ])('rejects %j naming %s', (body, what) => {
    const parsed = parseStkCallback(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(what);
  });

  it('never throws on arbitrary JSON, and never says paid without ResultCode 0', () => {
    const stkLike = fc.record(
      {
        MerchantRequestID: fc.oneof(fc.string(), fc.jsonValue()),
        CheckoutRequestID: fc.oneof(fc.string(), fc.jsonValue()),
        ResultCode: fc.oneof(fc.integer(), fc.string(), fc.jsonValue()),
        ResultDesc: fc.jsonValue(),
        CallbackMetadata: fc.oneof(
          fc.jsonValue(),
          fc.record({
            Item: fc.array(fc.record({ Name: fc.string(), Value: fc.jsonValue() }), {
              maxLength: 6,
            }),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.jsonValue(),
      stkLike.map((s) => ({ Body: { stkCallback: s } })),
    );
    fc.assert(
      fc.property(body, (input) => {
        const parsed = parseStkCallback(input);
        expect(typeof parsed.ok).toBe('boolean');
        if (parsed.ok && parsed.value.outcome.kind === 'paid') {
          const code = (input as any).Body.stkCallback.ResultCode;
          expect(String(code).trim()).toBe('0');
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
