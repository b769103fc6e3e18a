import {
  envelopeOf,
  errorFromAnswer,
  errorFromTransport,
  isTokenRejection,
} from './daraja-response';

describe(envelopeOf.name, () => {
  it('reads the three fields as text, numbers included, in any order', () => {
    expect(envelopeOf({ errorMessage: 'm', errorCode: 404, requestId: 'r' })).toEqual({
      requestId: 'r',
      errorCode: '404',
      errorMessage: 'm',
    });
  });

  it.each([null, 'text', 5, {}])('reads nothing from %j', (data) => {
    expect(envelopeOf(data)).toEqual({
      requestId: undefined,
      errorCode: undefined,
      errorMessage: undefined,
    });
  });

  it('reads missing, null and wrongly typed fields as absent', () => {
    expect(envelopeOf({ requestId: null, errorCode: true, errorMessage: { m: 1 } })).toEqual({
      requestId: undefined,
      errorCode: undefined,
      errorMessage: undefined,
    });
  });
});

describe(isTokenRejection.name, () => {
  it.each(['404.001.03', '400.003.01', '401.002.01'])(
    'knows token code %s whatever the status and message',
    (errorCode) => {
      expect(isTokenRejection({ status: 400, data: { errorCode, errorMessage: 'x' } })).toBe(true);
    },
  );

  it('knows the message alone, in any case, and nothing else', () => {
    const data = { errorCode: '400.002.02', errorMessage: 'INVALID ACCESS TOKEN' };
    expect(isTokenRejection({ status: 400, data })).toBe(true);
    expect(isTokenRejection({ status: 400, data: { errorCode: '400.002.02' } })).toBe(false);
  });
});

describe(`${errorFromAnswer.name} field by field`, () => {
  const answer = (status: number, errorCode?: string, errorMessage?: string) => ({
    status,
    data: { requestId: 'r', errorCode, errorMessage },
  });

  it('writes the status, code and message into its own message', () => {
    expect(errorFromAnswer(answer(400, '400.002.02', 'Bad Request'), 'stk push').message).toBe(
      'Daraja stk push failed: HTTP 400 400.002.02 Bad Request',
    );
    expect(errorFromAnswer({ status: 503, data: null }, 'oauth').message).toBe(
      'Daraja oauth failed: HTTP 503',
    );
  });

  it.each([
    [500, 'Merchant does not exist', 'DARAJA.MERCHANT_NOT_FOUND', false],
    [500, 'Wrong credentials', 'DARAJA.WRONG_CREDENTIALS', false],
    [500, 'System is down', 'DARAJA.SERVER_ERROR', true],
  ])('reads 500.001.1001 by its message: %s "%s" → %s', (status, message, code, retryable) => {
    const error = errorFromAnswer(answer(status, '500.001.1001', message), 'stk push');
    expect(error).toMatchObject({ code, retryable, retryAfterMs: undefined });
  });

  it('calls 400.008.01 bad consumer credentials only at OAuth', () => {
    const bad = answer(400, '400.008.01', 'Invalid Authentication passed');
    expect(errorFromAnswer(bad, 'oauth').code).toBe('DARAJA.INVALID_CONSUMER_CREDENTIALS');
    expect(errorFromAnswer(bad, 'stk push').code).toBe('DARAJA.BAD_REQUEST');
    const otherOauth = answer(400, '400.008.02', 'Invalid grant type passed');
    expect(errorFromAnswer(otherOauth, 'oauth').code).toBe('DARAJA.BAD_REQUEST');
  });

  it('calls a CheckoutRequestID complaint unknown only on a query', () => {
    const bad = answer(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
    expect(errorFromAnswer(bad, 'stk query').code).toBe('DARAJA.UNKNOWN_CHECKOUT_REQUEST');
    expect(errorFromAnswer(bad, 'stk push').code).toBe('DARAJA.BAD_REQUEST');
  });

  it('retries a token rejection unless the API product is missing', () => {
    expect(
      errorFromAnswer(answer(401, undefined, 'Invalid Access Token'), 'stk push'),
    ).toMatchObject({
      code: 'DARAJA.INVALID_ACCESS_TOKEN',
      retryable: true,
    });
    const noProduct = answer(401, undefined, 'Invalid Access Token - no ApiProduct match');
    expect(errorFromAnswer(noProduct, 'stk push').retryable).toBe(false);
  });

  it('reads statuses without an envelope: 5xx retryable, 4xx not, others a bad response', () => {
    expect(errorFromAnswer(answer(502), 'stk push')).toMatchObject({
      code: 'DARAJA.SERVER_ERROR',
      retryable: true,
    });
    expect(errorFromAnswer(answer(404), 'stk push')).toMatchObject({
      code: 'DARAJA.BAD_REQUEST',
      retryable: false,
    });
    expect(errorFromAnswer(answer(302), 'stk push')).toMatchObject({
      code: 'DARAJA.BAD_RESPONSE',
      retryable: true,
    });
  });
});

describe(`${errorFromTransport.name} messages`, () => {
  it.each([
    ['ECONNREFUSED', 'Daraja oauth failed: cannot connect (ECONNREFUSED)'],
    ['ETIMEDOUT', 'Daraja oauth failed: no answer in time (ETIMEDOUT)'],
    ['EPIPE', 'Daraja oauth failed: connection lost (EPIPE)'],
  ])('says what happened for %s', (code, message) => {
    const error = errorFromTransport(Object.assign(new Error('x'), { code }), 'oauth');
    expect(error.message).toBe(message);
    expect((error.cause as Error).message).toBe(`${code}: x`);
  });

  it('names an unknown failure, and keeps a thrown non-error as "network error"', () => {
    const error = errorFromTransport('socket hang up', 'stk query');
    expect(error.message).toBe('Daraja stk query failed: connection lost (UNKNOWN)');
    expect((error.cause as Error).message).toBe('UNKNOWN: network error');
  });
});
