import { canonicalReceipt, wholeAmount } from './daraja-values';
import { eatDate } from './result-outcomes';

/** A C2B Validation or Confirmation body (REFERENCE §7.2), normalised. All values arrive as text. */
export interface C2bPayment {
  receipt: string;
  transactionType: string;
  transactedAt: Date;
  amount: number;
  shortcode: string;
  billRef: string;
  /** Opaque: masked or hashed by Safaricom (REFERENCE §9 #25); never a customer id. */
  msisdn: string;
  payerName: string;
}

export type C2bParse = { ok: true; value: C2bPayment } | { ok: false; reason: string };

const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';

/** Never throws. Amounts must be whole shillings (`"10.00"` is 10); anything else is refused. */
export function parseC2bPayment(body: unknown): C2bParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'not an object' };
  }
  const b = body as Record<string, unknown>;
  const receipt = canonicalReceipt(text(b.TransID));
  if (!/^[A-Z0-9]{6,20}$/.test(receipt)) return { ok: false, reason: 'bad TransID' };
  const amount = wholeAmount(text(b.TransAmount));
  if (amount === undefined || amount < 1) return { ok: false, reason: 'bad TransAmount' };
  const shortcode = text(b.BusinessShortCode);
  if (!/^\d{5,8}$/.test(shortcode)) return { ok: false, reason: 'bad BusinessShortCode' };
  const transactedAt = eatDate(text(b.TransTime)) ?? new Date();
  const payerName = [b.FirstName, b.MiddleName, b.LastName].map(text).filter(Boolean).join(' ');
  return {
    ok: true,
    value: {
      receipt,
      transactionType: text(b.TransactionType),
      transactedAt,
      amount,
      shortcode,
      billRef: text(b.BillRefNumber).slice(0, 40),
      msisdn: text(b.MSISDN).slice(0, 80),
      payerName: payerName.slice(0, 120),
    },
  };
}
