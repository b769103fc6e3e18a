/** What one STK push finally did, from a callback or an STK Query answer. Never "paid" by guess. */
export type StkOutcome =
  | {
      kind: 'paid';
      resultCode: string;
      resultDesc: string;
      receipt?: string;
      amount?: number;
      phone?: string;
      transactionDate?: string;
    }
  | { kind: 'cancelled_by_customer'; resultCode: string; resultDesc: string }
  | { kind: 'failed'; resultCode: string; resultDesc: string; retryable: boolean }
  | { kind: 'timed_out'; resultCode: string; resultDesc: string }
  | { kind: 'pending'; resultCode?: string; resultDesc: string };

type Rule =
  | { kind: 'paid' | 'cancelled_by_customer' | 'timed_out' | 'pending' }
  | { kind: 'failed'; retryable: boolean };

/**
 * Every code REFERENCE §5/§6 lists. "retryable" means the merchant may start a NEW push later;
 * the same CheckoutRequestID is never resent.
 */
export const RESULT_CODES: Readonly<Record<string, Rule>> = {
  '0': { kind: 'paid' },
  '1': { kind: 'failed', retryable: true }, // insufficient funds: after the customer tops up
  '2': { kind: 'failed', retryable: false },
  '3': { kind: 'failed', retryable: false },
  '4': { kind: 'failed', retryable: false },
  '8': { kind: 'failed', retryable: false },
  '17': { kind: 'failed', retryable: true }, // same amount within 2 min: retry after 2 min
  '26': { kind: 'failed', retryable: true },
  '1001': { kind: 'failed', retryable: true }, // subscriber locked: retry after 1-2 min
  '1019': { kind: 'timed_out' },
  '1025': { kind: 'failed', retryable: true },
  '1032': { kind: 'cancelled_by_customer' },
  '1037': { kind: 'timed_out' },
  '2001': { kind: 'failed', retryable: true }, // wrong PIN: the customer may try again
  '2028': { kind: 'failed', retryable: false }, // paybill/till mix-up: configuration
  '8006': { kind: 'failed', retryable: false },
  '9999': { kind: 'failed', retryable: true },
  SFC_IC0003: { kind: 'failed', retryable: false },
  '4999': { kind: 'pending' }, // "still under processing" on STK Query
  '500.003.02': { kind: 'pending' }, // spike arrest / system busy: ask again later
  '500.003.03': { kind: 'pending' }, // quota: ask again later
  '429': { kind: 'pending' },
};

/** Codes whose meaning depends on the message (REFERENCE §3.2): branch on the text, not the code. */
function ambiguous(code: string, desc: string): StkOutcome | undefined {
  if (code !== '500.001.1001') return undefined;
  const text = desc.toLowerCase();
  if (text.includes('being processed')) {
    return { kind: 'pending', resultCode: code, resultDesc: desc };
  }
  if (text.includes('unable to lock subscriber')) {
    return { kind: 'failed', resultCode: code, resultDesc: desc, retryable: true };
  }
  return { kind: 'failed', resultCode: code, resultDesc: desc, retryable: false };
}

/**
 * Reduces a ResultCode (number or string) to an outcome. Total: an unknown code is `failed`,
 * not retryable, with the raw code kept; it is never `paid`.
 */
export function outcomeFromResultCode(code: string | number, desc: string): StkOutcome {
  const resultCode = String(code).trim();
  const resultDesc = typeof desc === 'string' ? desc : String(desc ?? '');
  const special = ambiguous(resultCode, resultDesc);
  if (special) return special;
  const rule = Object.prototype.hasOwnProperty.call(RESULT_CODES, resultCode)
    ? RESULT_CODES[resultCode]
    : undefined;
  if (!rule) return { kind: 'failed', resultCode, resultDesc, retryable: false };
  if (rule.kind === 'failed') {
    return { kind: 'failed', resultCode, resultDesc, retryable: rule.retryable };
  }
  return { kind: rule.kind, resultCode, resultDesc };
}
