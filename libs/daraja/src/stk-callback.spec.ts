import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseStkCallback } from './stk-callback';

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
