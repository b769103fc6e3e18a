import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DarajaError } from './daraja.errors';
import { stkQueryOutcome } from './stk-query-outcome';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(path.join(__dirname, '../../../test/fixtures/daraja', `${name}.json`), 'utf8'),
  ) as Record<string, unknown>;

/** The DarajaError an unreadable answer throws, or a failure if it returned an outcome. */
function thrown(status: number, data: unknown): DarajaError {
  try {
    const outcome = stkQueryOutcome({ status, data });
    throw new Error(`read as ${JSON.stringify(outcome)}`);
  } catch (error) {
    if (!(error instanceof DarajaError)) throw error;
    return error;
  }
}

describe(stkQueryOutcome.name, () => {
  it.each([
    ['stk-query-paid', 'paid', '0', 'The service request is processed successfully.'],
    [
      'stk-query-cancelled-legacy',
      'cancelled_by_customer',
      '1032',
      '[STK_CB - ]Request cancelled by user',
    ],
    ['stk-query-no-response', 'timed_out', '1037', 'No response from user.'],
  ])('reads the recorded answer %s as %s', (name, kind, resultCode, resultDesc) => {
    expect(stkQueryOutcome({ status: 200, data: fixture(name) })).toEqual({
      kind,
      resultCode,
      resultDesc,
    });
  });

  it('reads the same answer with its fields in another order and ResultCode as a number', () => {
    const reordered = Object.fromEntries(Object.entries(fixture('stk-query-paid')).reverse());
    expect(stkQueryOutcome({ status: 200, data: { ...reordered, ResultCode: 0 } })).toEqual(
      stkQueryOutcome({ status: 200, data: fixture('stk-query-paid') }),
    );
  });

  it('keeps a failure with its retry advice and a description of any type as text', () => {
    expect(stkQueryOutcome({ status: 200, data: { ResultCode: '1', ResultDesc: 7 } })).toEqual({
      kind: 'failed',
      resultCode: '1',
      resultDesc: '7',
      retryable: true,
    });
    expect(stkQueryOutcome({ status: 200, data: { ResultCode: 2, ResultDesc: null } })).toEqual({
      kind: 'failed',
      resultCode: '2',
      resultDesc: '',
      retryable: false,
    });
  });

  it.each([
    ['missing', {}],
    ['null', { ResultCode: null }],
    ['empty', { ResultCode: '' }],
    ['blank', { ResultCode: '  ' }],
    ['a boolean', { ResultCode: true }],
    ['an object', { ResultCode: { code: 0 } }],
    ['NaN', { ResultCode: NaN }],
    ['infinite', { ResultCode: Infinity }],
  ])(
    'never ends a payment on a 200 whose ResultCode is %s: a retryable bad response',
    (_, data) => {
      const error = thrown(200, { ResponseCode: '0', ResultDesc: 'x', ...data });
      expect(error).toMatchObject({ code: 'DARAJA.BAD_RESPONSE', retryable: true });
    },
  );

  it('never reads a ResultCode on an answer that is not a 200', () => {
    const error = thrown(201, { ResultCode: '0', ResultDesc: 'ok' });
    expect(error).toMatchObject({ code: 'DARAJA.BAD_RESPONSE', httpStatus: 201 });
  });

  it('reads "the transaction is being processed" as pending, in any case', () => {
    expect(stkQueryOutcome({ status: 500, data: fixture('stk-query-pending') })).toEqual({
      kind: 'pending',
      resultCode: '500.001.1001',
      resultDesc: 'The transaction is being processed',
    });
    const shouted = { errorCode: '500.001.1001', errorMessage: 'TRANSACTION BEING PROCESSED' };
    expect(stkQueryOutcome({ status: 500, data: shouted })).toMatchObject({ kind: 'pending' });
  });

  it.each([
    [429, undefined, { resultCode: '429', resultDesc: 'rate limited' }],
    [
      500,
      { errorCode: '500.003.02', errorMessage: 'Spike Arrest Violation' },
      { resultCode: '500.003.02', resultDesc: 'Spike Arrest Violation' },
    ],
    [
      500,
      { errorCode: '500.003.03', errorMessage: '' },
      { resultCode: '500.003.03', resultDesc: 'rate limited' },
    ],
  ])('reads a rate limit (HTTP %s) as pending, never as an outcome', (status, data, pending) => {
    expect(stkQueryOutcome({ status, data })).toEqual({ kind: 'pending', ...pending });
  });

  it('reads 4999 as pending, as an errorCode or as a ResultCode outside a 200', () => {
    const asError = { errorCode: '4999', errorMessage: 'still under processing' };
    expect(stkQueryOutcome({ status: 500, data: asError })).toEqual({
      kind: 'pending',
      resultCode: '4999',
      resultDesc: 'still under processing',
    });
    const asResult = { ResultCode: 4999, ResultDesc: 'The transaction is still under processing' };
    expect(stkQueryOutcome({ status: 500, data: asResult })).toEqual({
      kind: 'pending',
      resultCode: '4999',
      resultDesc: 'The transaction is still under processing',
    });
    expect(stkQueryOutcome({ status: 200, data: asResult })).toMatchObject({ kind: 'pending' });
  });

  it.each([
    [
      'an unknown CheckoutRequestID',
      400,
      fixture('stk-query-invalid-checkout'),
      'DARAJA.UNKNOWN_CHECKOUT_REQUEST',
      false,
    ],
    [
      'a locked subscriber',
      500,
      { errorCode: '500.001.1001', errorMessage: 'Unable to lock subscriber' },
      'DARAJA.SUBSCRIBER_LOCKED',
      true,
    ],
    [
      'another code that says "being processed"',
      400,
      { errorCode: '400.002.02', errorMessage: 'Bad Request - being processed' },
      'DARAJA.BAD_REQUEST',
      false,
    ],
    ['no body at all', 502, null, 'DARAJA.SERVER_ERROR', true],
    ['a body that is not JSON', 500, '<html>busy</html>', 'DARAJA.SERVER_ERROR', true],
  ])('throws for %s', (_, status, data, code, retryable) => {
    expect(thrown(status, data)).toMatchObject({ code, retryable, httpStatus: status });
  });
});
