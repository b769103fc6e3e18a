import { wholeAmount } from './daraja-values';

/**
 * The asynchronous answer of Transaction Status, Reversal and Account Balance (REFERENCE §7, §12):
 * `{"Result": {...}}` posted to the ResultURL. Parsed leniently, because Daraja is lenient with
 * itself: `ResultParameter` may be one object or an array, values mix numbers and strings, some
 * keys come without a `Value`, and a failure usually has no `ResultParameters` at all.
 */
export type ResultValue = string | number | undefined;

export interface DarajaResult {
  resultType: string;
  /** `0` on success; otherwise a number or a string such as `R000001` or `SFC_IC0003`, as text. */
  resultCode: string;
  resultDesc: string;
  originatorConversationId: string;
  conversationId: string;
  transactionId: string;
  /** Every `{Key, Value}`; a key sent without a Value is present with `undefined`. */
  parameters: Record<string, ResultValue>;
  /** `ReferenceData.ReferenceItem` (e.g. `Occasion`), same rules. */
  reference: Record<string, ResultValue>;
}

export type ResultParse = { ok: true; value: DarajaResult } | { ok: false; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';

function valueOf(v: unknown): ResultValue {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return undefined;
}

/** `{Key, Value}` pairs from one object, an array of them, or nothing. */
export function keyValues(holder: unknown): Record<string, ResultValue> {
  // Anything that is not a {Key, Value} object (nothing at all included) is skipped below.
  const items: unknown[] = Array.isArray(holder) ? holder : [holder];
  const out: Record<string, ResultValue> = {};
  for (const item of items) {
    if (!isRecord(item)) continue;
    const key = text(item.Key).trim();
    if (key && !Object.prototype.hasOwnProperty.call(out, key)) out[key] = valueOf(item.Value);
  }
  return out;
}

/** Never throws: any JSON value in, a result or a reason out. */
export function parseResultEnvelope(body: unknown): ResultParse {
  const result = isRecord(body) ? body.Result : undefined;
  if (!isRecord(result)) return { ok: false, reason: 'no Result object' };
  const resultCode = text(result.ResultCode).trim();
  if (!resultCode) return { ok: false, reason: 'no ResultCode' };
  const conversationId = text(result.ConversationID);
  const originatorConversationId = text(result.OriginatorConversationID);
  if (!conversationId && !originatorConversationId) {
    return { ok: false, reason: 'no conversation id' };
  }
  const params = isRecord(result.ResultParameters) ? result.ResultParameters.ResultParameter : null;
  const ref = isRecord(result.ReferenceData) ? result.ReferenceData.ReferenceItem : null;
  return {
    ok: true,
    value: {
      resultType: text(result.ResultType),
      resultCode,
      resultDesc: text(result.ResultDesc),
      originatorConversationId,
      conversationId,
      transactionId: text(result.TransactionID),
      parameters: keyValues(params),
      reference: keyValues(ref),
    },
  };
}

/** A parameter as text (`''` when absent), for fields that are strings to us whatever Daraja sent. */
export function parameterText(result: DarajaResult, key: string): string {
  return text(result.parameters[key]);
}

/** A parameter as whole KES (`1.00`, `"10"`); undefined when absent or fractional. */
export function parameterAmount(result: DarajaResult, key: string): number | undefined {
  return wholeAmount(result.parameters[key]);
}
