/** Daraja's request checks for STK push and query (REFERENCE §2, §3.2, §5), in Daraja's words. */

export const BANNED_URL_WORDS = [
  'm-pesa',
  'mpesa',
  'safaricom',
  'exe',
  'exec',
  'cmd',
  'sql',
  'query',
];

export interface PushFields {
  shortcode: string;
  password: string;
  timestamp: string;
  transactionType: 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline';
  amount: number;
  partyA: string;
  partyB: string;
  phone: string;
  callbackUrl: string;
  accountReference: string;
  transactionDesc: string;
}

export interface QueryFields {
  shortcode: string;
  password: string;
  timestamp: string;
  checkoutRequestId: string;
}

export type Checked<T> =
  { ok: true; value: T } | { ok: false; errorCode: string; errorMessage: string };

const bad = (field: string): { ok: false; errorCode: string; errorMessage: string } => ({
  ok: false,
  errorCode: '400.002.02',
  errorMessage: `Bad Request - Invalid ${field}`,
});

/** Daraja accepts numeric fields as numbers or numeric strings. */
const numeric = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0
    ? String(v)
    : typeof v === 'string' && /^\d+$/.test(v.trim())
      ? v.trim()
      : undefined;

export function validTimestamp(ts: unknown): ts is string {
  const m = typeof ts === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts) : null;
  if (!m) return false;
  const [, , mo, d, h, mi, s] = m.map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 59;
}

const MSISDN = /^254[17]\d{8}$/;

export function validCallbackUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || /\s/.test(raw)) return false;
  try {
    const url = new URL(raw);
    if (!['http:', 'https:'].includes(url.protocol)) return false;
  } catch {
    return false;
  }
  const lower = raw.toLowerCase();
  return !BANNED_URL_WORDS.some((w) => lower.includes(w));
}

function amountOf(v: unknown): number | undefined {
  // Whole shillings only: 1.5 and "10.50" are refused like Daraja refuses them (§9 #8).
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 250_000 ? n : undefined;
}

export function checkPush(body: Record<string, unknown>): Checked<PushFields> {
  const shortcode = numeric(body.BusinessShortCode);
  if (!shortcode || shortcode.length < 5 || shortcode.length > 7) return bad('BusinessShortCode');
  if (typeof body.Password !== 'string' || !body.Password) return bad('Password');
  if (!validTimestamp(body.Timestamp)) return bad('Timestamp');
  const type = body.TransactionType;
  if (type !== 'CustomerPayBillOnline' && type !== 'CustomerBuyGoodsOnline') {
    return bad('TransactionType');
  }
  const amount = amountOf(body.Amount);
  if (amount === undefined) return bad('Amount');
  const partyA = numeric(body.PartyA);
  if (!partyA || !MSISDN.test(partyA)) return bad('PartyA');
  const partyB = numeric(body.PartyB);
  if (!partyB || partyB.length < 5 || partyB.length > 8) return bad('PartyB');
  const phone = numeric(body.PhoneNumber);
  if (!phone || !MSISDN.test(phone)) return bad('PhoneNumber');
  if (!validCallbackUrl(body.CallBackURL)) return bad('CallBackURL');
  if (typeof body.AccountReference !== 'string' || !body.AccountReference) {
    return bad('AccountReference');
  }
  const desc = body.TransactionDesc ?? '';
  // REFERENCE §11.12: unknown whether >13 is refused or truncated; refusing is the stricter test.
  if (typeof desc !== 'string' || desc.length > 13) return bad('TransactionDesc');
  return {
    ok: true,
    value: {
      shortcode,
      password: body.Password,
      timestamp: body.Timestamp,
      transactionType: type,
      amount,
      partyA,
      partyB,
      phone,
      callbackUrl: body.CallBackURL,
      accountReference: body.AccountReference,
      transactionDesc: desc,
    },
  };
}

export function checkQuery(body: Record<string, unknown>): Checked<QueryFields> {
  const shortcode = numeric(body.BusinessShortCode);
  if (!shortcode || shortcode.length < 5 || shortcode.length > 7) return bad('BusinessShortCode');
  if (typeof body.Password !== 'string' || !body.Password) return bad('Password');
  if (!validTimestamp(body.Timestamp)) return bad('Timestamp');
  if (typeof body.CheckoutRequestID !== 'string' || !body.CheckoutRequestID) {
    return bad('CheckoutRequestID');
  }
  return {
    ok: true,
    value: {
      shortcode,
      password: body.Password,
      timestamp: body.Timestamp,
      checkoutRequestId: body.CheckoutRequestID,
    },
  };
}

export function expectedPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString('base64');
}
