import { envelopeOf, errorFromAnswer, isRateLimited, type HttpAnswer } from './daraja-response';
import { outcomeFromResultCode, type StkOutcome } from './stk-outcome';

const text = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '';

/** A ResultCode worth reading: a finite number or a non-blank string. */
function resultCodeOf(data: Record<string, unknown>): string | number | undefined {
  const code = data.ResultCode;
  if (typeof code === 'number') return Number.isFinite(code) ? code : undefined;
  // A blank code is no answer: reading it as an unknown code would end the payment as failed.
  return typeof code === 'string' && code.trim() !== '' ? code : undefined;
}

/**
 * Reduces an STK Query answer (REFERENCE §5) to an outcome. "Still processing", 4999 and rate
 * limits are `pending`; anything else unreadable throws a DarajaError (retryable when the answer
 * may change), so that no unreadable answer ever ends a payment.
 */
export function stkQueryOutcome(answer: HttpAnswer): StkOutcome {
  const data = (answer.data ?? {}) as Record<string, unknown>;
  const code = answer.status === 200 ? resultCodeOf(data) : undefined;
  if (code !== undefined) return outcomeFromResultCode(code, text(data.ResultDesc));
  const { errorCode, errorMessage = '' } = envelopeOf(answer.data);
  if (isRateLimited(answer)) {
    return {
      kind: 'pending',
      resultCode: errorCode ?? String(answer.status),
      resultDesc: errorMessage || 'rate limited',
    };
  }
  if (errorCode === '500.001.1001' && /being processed/i.test(errorMessage)) {
    return { kind: 'pending', resultCode: errorCode, resultDesc: errorMessage };
  }
  if (errorCode === '4999' || text(data.ResultCode) === '4999') {
    return {
      kind: 'pending',
      resultCode: '4999',
      resultDesc: errorMessage || text(data.ResultDesc),
    };
  }
  throw errorFromAnswer(answer, 'stk query');
}
