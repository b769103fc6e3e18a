import { ValidationError } from '@malipo/common';
import { buildPassword, darajaTimestamp } from './password';
import { normalisePhone } from './phone';
import type { DarajaCredentials, StkPushInput } from './daraja.types';

export const MAX_AMOUNT = 250_000;
export const MAX_ACCOUNT_REFERENCE = 12;
export const MAX_TRANSACTION_DESC = 13;

/** Words Daraja refuses anywhere in a callback URL (REFERENCE §2.4), any case. */
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

const invalid = (field: string, message: string): ValidationError =>
  new ValidationError(`${field} ${message}`, { field });

function checkAmount(amount: number): number {
  if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
    throw invalid('amount', `must be a whole number of shillings from 1 to ${MAX_AMOUNT}`);
  }
  return amount;
}

export function checkCallbackUrl(raw: string, field = 'callbackUrl'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(field, 'must be an absolute URL');
  }
  if (!['http:', 'https:'].includes(url.protocol) || /\s/.test(raw)) {
    throw invalid(field, 'must be an http(s) URL without spaces');
  }
  const lower = raw.toLowerCase();
  const banned = BANNED_URL_WORDS.find((w) => lower.includes(w));
  if (banned) throw invalid(field, `must not contain "${banned}" (Daraja rejects it)`);
  return raw;
}

/**
 * The AccountReference an order reference becomes: letters and digits only, cut to Daraja's limit
 * ('POS' when none are left). Pushes send it and statement searches look for it, so both call this.
 */
export function accountReferenceFor(orderRef: string): string {
  return orderRef.replace(/[^A-Za-z0-9]/g, '').slice(0, MAX_ACCOUNT_REFERENCE) || 'POS';
}

/** The TransactionDesc a payment description becomes, within Daraja's limit. */
export function transactionDescFor(description: string | null | undefined): string {
  return (
    (description ?? '')
      .replace(/[^A-Za-z0-9 ]/g, '')
      .trim()
      .slice(0, MAX_TRANSACTION_DESC) || 'Payment'
  );
}

/**
 * Special characters in these fields are reported to make prompts fail silently (§9 #18). The
 * builder checks what callers pass; accountReferenceFor/transactionDescFor produce valid values.
 */
export function sanitiseAccountReference(value: string): string {
  const clean = String(value ?? '').replace(/[^A-Za-z0-9]/g, '');
  if (!clean) throw invalid('accountReference', 'must contain letters or digits');
  if (clean.length > MAX_ACCOUNT_REFERENCE) {
    throw invalid('accountReference', `must be at most ${MAX_ACCOUNT_REFERENCE} characters`);
  }
  return clean;
}

export function sanitiseTransactionDesc(value: string): string {
  const clean = String(value ?? '')
    .replace(/[^A-Za-z0-9 ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length > MAX_TRANSACTION_DESC) {
    throw invalid('transactionDesc', `must be at most ${MAX_TRANSACTION_DESC} characters`);
  }
  return clean || 'Payment';
}

function checkPairing(creds: DarajaCredentials): void {
  if (!/^\d{5,7}$/.test(creds.shortcode)) throw invalid('shortcode', 'must be 5 to 7 digits');
  if (!/^\d{5,8}$/.test(creds.partyB)) throw invalid('partyB', 'must be 5 to 8 digits');
  // Paybill: BusinessShortCode = PartyB. Till: BusinessShortCode = store number, PartyB = till.
  if (creds.kind === 'paybill' && creds.partyB !== creds.shortcode) {
    throw invalid('partyB', 'must equal the paybill shortcode');
  }
}

export interface BuiltStkRequest {
  body: Record<string, unknown>;
  /** The body without Password, safe to store next to the attempt. */
  redacted: Record<string, unknown>;
}

/** The STK push body (REFERENCE §2), one Timestamp for both Password and body (§9 #13). */
export function buildStkPushRequest(
  creds: DarajaCredentials,
  input: StkPushInput,
  now: Date,
): BuiltStkRequest {
  checkPairing(creds);
  const phone = normalisePhone(input.phone, 'phone');
  const timestamp = darajaTimestamp(now);
  const redacted: Record<string, unknown> = {
    BusinessShortCode: Number(creds.shortcode),
    Timestamp: timestamp,
    TransactionType: creds.kind === 'till' ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline',
    Amount: checkAmount(input.amount),
    PartyA: phone,
    PartyB: creds.partyB,
    PhoneNumber: phone,
    CallBackURL: checkCallbackUrl(input.callbackUrl),
    AccountReference: sanitiseAccountReference(input.accountReference),
    TransactionDesc: sanitiseTransactionDesc(input.transactionDesc),
  };
  const Password = buildPassword(creds.shortcode, creds.passkey, timestamp);
  return { body: { ...redacted, Password }, redacted };
}

export function buildStkQueryRequest(
  creds: DarajaCredentials,
  checkoutRequestId: string,
  now: Date,
): Record<string, unknown> {
  if (typeof checkoutRequestId !== 'string' || !checkoutRequestId.trim()) {
    throw invalid('checkoutRequestId', 'is required');
  }
  const timestamp = darajaTimestamp(now);
  return {
    BusinessShortCode: creds.shortcode,
    Password: buildPassword(creds.shortcode, creds.passkey, timestamp),
    Timestamp: timestamp,
    CheckoutRequestID: checkoutRequestId.trim(),
  };
}
