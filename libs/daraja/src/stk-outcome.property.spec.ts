import fc from 'fast-check';
import { RESULT_CODES, outcomeFromResultCode } from './stk-outcome';

/** REFERENCE §6 plus the transient answers of §3.2/§5, with the expected reduction. */
const REFERENCE_TABLE: [string | number, string, string, boolean?][] = [
  [0, 'The service request is processed successfully.', 'paid'],
  [1, 'The balance is insufficient for the transaction.', 'failed', true],
  [2, 'Declined due to limit rule: less than minimum', 'failed', false],
  [3, 'Declined due to limit rule: greater than the maximum', 'failed', false],
  [4, 'Declined due to limit rule: would exceed daily transfer limit', 'failed', false],
  [8, 'Declined due to limit rule: would exceed the maximum balance', 'failed', false],
  [17, 'Rule limited.', 'failed', true],
  [26, 'System busy', 'failed', true],
  [1001, 'Unable to lock subscriber', 'failed', true],
  [1019, 'Transaction has expired.', 'timed_out'],
  [1025, 'An error occurred while sending a push request.', 'failed', true],
  [1032, 'Request cancelled by user', 'cancelled_by_customer'],
  [1037, 'DS timeout user cannot be reached', 'timed_out'],
  [2001, 'The initiator information is invalid.', 'failed', true],
  [2028, 'The request is not permitted according to product assignment.', 'failed', false],
  [8006, 'The security credential is locked.', 'failed', false],
  [9999, 'error sending push', 'failed', true],
  ['SFC_IC0003', 'The operator does not exist.', 'failed', false],
  [4999, 'The transaction is still under processing', 'pending'],
  ['500.001.1001', 'The transaction is being processed', 'pending'],
  [
    '500.001.1001',
    'Unable to lock subscriber, a transaction is already in process',
    'failed',
    true,
  ],
  ['500.001.1001', 'Wrong credentials', 'failed', false],
  ['500.003.02', 'Error Occurred: Spike Arrest Violation', 'pending'],
  ['500.003.03', 'Quota Violation', 'pending'],
];

describe(outcomeFromResultCode.name, () => {
  const rows = REFERENCE_TABLE.map(([code, desc, kind, retryable]) => ({
    code,
    desc,
    kind,
    retryable,
  }));

  it.each(rows)('maps $code ($desc) to $kind', ({ code, desc, kind, retryable }) => {
    for (const form of [code, String(code)]) {
      const outcome = outcomeFromResultCode(form, desc);
      expect(outcome.kind).toBe(kind);
      expect(outcome.resultCode).toBe(String(code));
      if (outcome.kind === 'failed') expect(outcome.retryable).toBe(retryable);
    }
  });

  it('covers every code it knows with the REFERENCE table', () => {
    const tested = new Set(REFERENCE_TABLE.map(([c]) => String(c)));
    for (const code of Object.keys(RESULT_CODES).filter((c) => c !== '429')) {
      expect(tested).toContain(code);
    }
  });

  it('treats codes as the same whether sent as numbers or strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.string(), (code, desc) => {
        expect(outcomeFromResultCode(code, desc)).toEqual(
          outcomeFromResultCode(String(code), desc),
        );
      }),
    );
  });

  it('is total: unknown codes are failed, not retryable, raw code kept, never paid', () => {
    const known = new Set([...Object.keys(RESULT_CODES), '500.001.1001']);
    const unknownCode = fc
      .oneof(
        fc.integer(),
        fc.double(),
        fc.string(),
        fc.stringMatching(/^[A-Z]{1,5}\d{0,6}$/),
        fc.stringMatching(/^\d{1,3}\.\d{3}\.\d{2,4}$/),
      )
      .filter((c) => !known.has(String(c).trim()));
    fc.assert(
      fc.property(unknownCode, fc.string(), (code, desc) => {
        const outcome = outcomeFromResultCode(code, desc);
        expect(outcome).toEqual({
          kind: 'failed',
          resultCode: String(code).trim(),
          resultDesc: desc,
          retryable: false,
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('only ever says paid for code 0', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string(), fc.double()), fc.string(), (code, desc) => {
        const outcome = outcomeFromResultCode(code, desc);
        if (outcome.kind === 'paid') expect(String(code).trim()).toBe('0');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe(`${outcomeFromResultCode.name} with a description that is not text`, () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [5, '5'],
  ])('keeps %j as %j', (desc, text) => {
    expect(outcomeFromResultCode(1032, desc as unknown as string).resultDesc).toBe(text);
  });

  it('keeps text as it is', () => {
    expect(outcomeFromResultCode('1032', ' cancelled ').resultDesc).toBe(' cancelled ');
  });
});
