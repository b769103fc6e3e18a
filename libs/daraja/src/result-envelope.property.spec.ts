import fc from 'fast-check';
import { parseResultEnvelope } from './result-envelope';
import { mpesaRecordOf, reversalOutcomeOf } from './result-outcomes';

const keyArb = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/).filter((k) => k.trim() === k);
const valueArb = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(undefined),
);
const pairsArb = fc.uniqueArray(fc.tuple(keyArb, valueArb), {
  selector: ([k]) => k,
  maxLength: 8,
});
const codeArb = fc.oneof(
  fc.constantFrom<string | number>(0, '0', 2001, '2001', 'R000001', 'R000002', 'SFC_IC0003', 21),
  fc.integer({ min: 1, max: 99_999 }),
);

function item(key: string, value: string | number | undefined): Record<string, unknown> {
  return value === undefined ? { Key: key } : { Key: key, Value: value };
}

/** The shapes seen in the wild: an array, a single object, or no ResultParameters at all. */
function envelope(
  code: string | number,
  pairs: [string, string | number | undefined][],
  shape: string,
) {
  const items = pairs.map(([k, v]) => item(k, v));
  const params =
    shape === 'none'
      ? undefined
      : { ResultParameter: shape === 'single' && items.length === 1 ? items[0] : items };
  return {
    Result: {
      ResultType: typeof code === 'number' ? 0 : '0',
      ResultCode: code,
      ResultDesc: 'desc',
      OriginatorConversationID: '1236-7134259-1',
      ConversationID: 'AG_20210709_1234409f86436c583e3f',
      TransactionID: 'NEF61H8J60',
      ...(params ? { ResultParameters: params } : {}),
      ReferenceData: { ReferenceItem: { Key: 'Occasion' } },
    },
  };
}

describe(parseResultEnvelope.name, () => {
  it('never throws on any JSON, and refuses what has no Result', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseResultEnvelope(v);
        expect(typeof r.ok).toBe('boolean');
        if (typeof v !== 'object' || v === null || !('Result' in v)) expect(r.ok).toBe(false);
      }),
    );
  });

  it('reads every key, whether ResultParameter is an array, one object or absent', () => {
    fc.assert(
      fc.property(
        codeArb,
        pairsArb,
        fc.constantFrom('array', 'single', 'none'),
        (code, pairs, shape) => {
          const r = parseResultEnvelope(envelope(code, pairs, shape));
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.value.resultCode).toBe(String(code));
          expect(r.value.conversationId).toBe('AG_20210709_1234409f86436c583e3f');
          const expected = shape === 'none' ? [] : pairs;
          expect(Object.keys(r.value.parameters).sort()).toEqual(expected.map(([k]) => k).sort());
          for (const [k, v] of expected) {
            const want = typeof v === 'number' && !Number.isFinite(v) ? undefined : v;
            expect(r.value.parameters[k]).toEqual(want);
          }
          expect(r.value.reference).toEqual({ Occasion: undefined });
        },
      ),
    );
  });

  it('reads the single-object 2001 result of mpesa-api#12', () => {
    const r = parseResultEnvelope({
      Result: {
        ResultType: 0,
        ResultCode: 2001,
        ResultDesc: 'The initiator information is invalid.',
        OriginatorConversationID: '29112-34801843-1',
        ConversationID: 'AG_20191219_00006c6fddb15123addf',
        TransactionID: 'NLJ0000000',
        ResultParameters: { ResultParameter: { Key: 'BOCompletedTime', Value: 20191219145247 } },
        ReferenceData: { ReferenceItem: { Key: 'QueueTimeoutURL', Value: 'https://x/y' } },
      },
    });
    expect(r).toMatchObject({
      ok: true,
      value: { resultCode: '2001', parameters: { BOCompletedTime: 20191219145247 } },
    });
  });
});

describe(mpesaRecordOf.name, () => {
  it('reads a Transaction Status success with numbers and strings mixed', () => {
    const r = parseResultEnvelope({
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        OriginatorConversationID: '1',
        ConversationID: 'AG_1',
        TransactionID: 'NEF61H8J60',
        ResultParameters: {
          ResultParameter: [
            { Key: 'ReceiptNo', Value: 'nef61h8j60' },
            { Key: 'Amount', Value: 10.0 },
            { Key: 'TransactionStatus', Value: 'Completed' },
            { Key: 'FinalisedTime', Value: 20210709123000 },
            { Key: 'DebitPartyName', Value: '254708374149 - John Doe' },
            { Key: 'DebitPartyCharges' },
          ],
        },
      },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(mpesaRecordOf(r.value)).toEqual({
      found: true,
      resultCode: '0',
      resultDesc: 'The service request is processed successfully.',
      receipt: 'NEF61H8J60',
      amount: 10,
      status: 'Completed',
      debitParty: '254708374149 - John Doe',
      creditParty: undefined,
      finalisedAt: new Date('2021-07-09T09:30:00Z'),
    });
  });
});

describe(reversalOutcomeOf.name, () => {
  it('reduces 0, R000001 and every other code', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        const r = parseResultEnvelope(envelope(code, [], 'none'));
        if (!r.ok) throw new Error(r.reason);
        const kind = reversalOutcomeOf(r.value).kind;
        const text = String(code);
        expect(kind).toBe(
          text === '0' ? 'reversed' : text === 'R000001' ? 'already_reversed' : 'failed',
        );
      }),
    );
  });
});
