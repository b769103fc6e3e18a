import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DarajaError } from './daraja.errors';
import { errorFromAnswer, errorFromTransport, isTokenRejection } from './daraja-response';

const fixture = (name: string): unknown =>
  JSON.parse(
    readFileSync(path.join(__dirname, '../../../test/fixtures/daraja', `${name}.json`), 'utf8'),
  );

describe('Daraja error classification', () => {
  it.each([
    ['stk-push-invalid-shortcode', 400, 'DARAJA.BAD_REQUEST', false],
    ['stk-push-wrong-credentials', 500, 'DARAJA.WRONG_CREDENTIALS', false],
    ['stk-push-merchant-does-not-exist', 500, 'DARAJA.MERCHANT_NOT_FOUND', false],
    ['stk-push-subscriber-locked', 500, 'DARAJA.SUBSCRIBER_LOCKED', true],
    ['stk-push-spike-arrest', 500, 'DARAJA.RATE_LIMITED', true],
    ['stk-push-invalid-access-token', 404, 'DARAJA.INVALID_ACCESS_TOKEN', true],
  ])('%s → %s', (name, status, code, retryable) => {
    const error = errorFromAnswer({ status, data: fixture(name) }, 'stk push');
    expect(error).toBeInstanceOf(DarajaError);
    expect(error.kind).toBe('upstream');
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.httpStatus).toBe(status);
    expect(error.requestMayHaveReachedDaraja).toBe(true);
    expect(error.errorCode).toBe((fixture(name) as { errorCode: string }).errorCode);
  });

  it('says a locked subscriber may be retried after a minute', () => {
    const error = errorFromAnswer(
      { status: 500, data: fixture('stk-push-subscriber-locked') },
      'stk push',
    );
    expect(error.retryAfterMs).toBe(60_000);
  });

  it('knows a wrong consumer key/secret at OAuth', () => {
    const error = errorFromAnswer(
      { status: 400, data: fixture('oauth-invalid-authentication') },
      'oauth',
    );
    expect(error.code).toBe('DARAJA.INVALID_CONSUMER_CREDENTIALS');
    expect(error.retryable).toBe(false);
  });

  it('knows an unknown CheckoutRequestID on query', () => {
    const error = errorFromAnswer(
      { status: 400, data: fixture('stk-query-invalid-checkout') },
      'stk query',
    );
    expect(error.code).toBe('DARAJA.UNKNOWN_CHECKOUT_REQUEST');
  });

  it.each([
    [404, { errorCode: '404.001.03', errorMessage: 'Invalid Access Token' }],
    [400, { errorCode: '400.003.01', errorMessage: 'Invalid Access Token' }],
    [401, { errorCode: '401.002.01', errorMessage: 'Error Occurred - Invalid Access Token - XXX' }],
    [401, 'Unauthorized'],
  ])('treats HTTP %d %j as a token rejection', (status, data) => {
    expect(isTokenRejection({ status, data })).toBe(true);
  });

  it('does not treat other errors as token rejections', () => {
    expect(isTokenRejection({ status: 500, data: fixture('stk-push-wrong-credentials') })).toBe(
      false,
    );
    expect(isTokenRejection({ status: 400, data: fixture('stk-push-invalid-shortcode') })).toBe(
      false,
    );
  });

  it.each([
    ['ECONNREFUSED', 'DARAJA.UNREACHABLE', false],
    ['ENOTFOUND', 'DARAJA.UNREACHABLE', false],
    ['EAI_AGAIN', 'DARAJA.UNREACHABLE', false],
    ['ECONNABORTED', 'DARAJA.TIMEOUT', true],
    ['ETIMEDOUT', 'DARAJA.TIMEOUT', true],
    ['ECONNRESET', 'DARAJA.NETWORK', true],
  ])('transport %s → %s, reached %p', (errno, code, reached) => {
    const raw = Object.assign(new Error(`boom ${errno}`), {
      code: errno,
      config: { headers: { Authorization: 'Bearer secret-token' } },
    });
    const error = errorFromTransport(raw, 'stk push');
    expect(error.code).toBe(code);
    expect(error.requestMayHaveReachedDaraja).toBe(reached);
    expect(error.retryable).toBe(true);
    // The axios error (with its Authorization header) must not travel with ours.
    expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause))).not.toContain(
      'secret-token',
    );
  });

  it('finds the errno inside an AggregateError (dual-stack connect)', () => {
    const inner = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const raw = Object.assign(new AggregateError([inner], 'x'), { code: 'ERR_NETWORK' });
    expect(errorFromTransport(raw, 'oauth').requestMayHaveReachedDaraja).toBe(false);
  });
});
