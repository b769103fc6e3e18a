import { findControlChars } from '@malipo/common';
import { canonicalReceipt, wholeAmount } from './daraja-values';
import { outcomeFromResultCode, type StkOutcome } from './stk-outcome';

export interface ParsedStkCallback {
  merchantRequestId: string;
  checkoutRequestId: string;
  outcome: StkOutcome;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string): unknown =>
  Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

/**
 * Items are looked up by Name, never by position; `Balance` usually has no Value. A name given
 * twice with different values is read as absent: which receipt or amount is true cannot be told.
 */
function metadataItems(stk: Json): Map<string, unknown> {
  const items = new Map<string, unknown>();
  const meta = own(stk, 'CallbackMetadata');
  const list = isObject(meta) ? own(meta, 'Item') : undefined;
  if (!Array.isArray(list)) return items;
  for (const item of list) {
    const name = isObject(item) ? own(item, 'Name') : undefined;
    if (typeof name !== 'string') continue;
    const value = own(item as Json, 'Value');
    items.set(name, items.has(name) && items.get(name) !== value ? undefined : value);
  }
  return items;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  // TransactionDate (14 digits) and PhoneNumber (12 digits) fit a double exactly.
  if (Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function paidDetails(stk: Json): Partial<Extract<StkOutcome, { kind: 'paid' }>> {
  const items = metadataItems(stk);
  const details: Partial<Extract<StkOutcome, { kind: 'paid' }>> = {};
  const receiptText = asText(items.get('MpesaReceiptNumber'));
  const receipt = receiptText === undefined ? undefined : canonicalReceipt(receiptText);
  const amount = wholeAmount(items.get('Amount'));
  const phone = asText(items.get('PhoneNumber'));
  const transactionDate = asText(items.get('TransactionDate'));
  if (receipt !== undefined) details.receipt = receipt;
  if (amount !== undefined) details.amount = amount;
  if (phone !== undefined) details.phone = phone;
  if (transactionDate !== undefined) details.transactionDate = transactionDate;
  return details;
}

function parse(body: unknown): ParseResult<ParsedStkCallback> {
  const outer = isObject(body) ? own(body, 'Body') : undefined;
  const stk = isObject(outer) ? own(outer, 'stkCallback') : undefined;
  if (!isObject(stk)) return { ok: false, reason: 'Body.stkCallback is missing' };
  // Decided here, once: PostgreSQL would refuse the NUL on every retry until the job died.
  const control = findControlChars(stk, 'Body.stkCallback');
  if (control) return { ok: false, reason: `control character in ${control}` };
  const merchantRequestId = own(stk, 'MerchantRequestID');
  const checkoutRequestId = own(stk, 'CheckoutRequestID');
  const code = own(stk, 'ResultCode');
  const desc = own(stk, 'ResultDesc');
  // Blank ids are missing ids: they match no attempt and would only hide the real problem.
  if (typeof merchantRequestId !== 'string' || !merchantRequestId.trim()) {
    return { ok: false, reason: 'MerchantRequestID is missing' };
  }
  if (typeof checkoutRequestId !== 'string' || !checkoutRequestId.trim()) {
    return { ok: false, reason: 'CheckoutRequestID is missing' };
  }
  const codeOk = (typeof code === 'number' && Number.isFinite(code)) || typeof code === 'string';
  if (!codeOk || String(code).trim() === '') return { ok: false, reason: 'ResultCode is missing' };
  const resultDesc = typeof desc === 'string' ? desc : '';
  let outcome = outcomeFromResultCode(code, resultDesc);
  // A callback is a final answer; a "pending" code there is nonsense, so it cannot end anything.
  if (outcome.kind === 'paid') outcome = { ...outcome, ...paidDetails(stk) };
  return { ok: true, value: { merchantRequestId, checkoutRequestId, outcome } };
}

/**
 * Validates and reduces a Daraja STK callback body (REFERENCE §4). Total: any input, including
 * arbitrary JSON, yields a result and never throws.
 */
export function parseStkCallback(body: unknown): ParseResult<ParsedStkCallback> {
  try {
    return parse(body);
  } catch (error) {
    return { ok: false, reason: `unreadable callback: ${(error as Error)?.message ?? 'error'}` };
  }
}

/**
 * The one way a stored or received callback is read: from its raw text, whatever Content-Type
 * (or none) it came with. JSON is JSON however it is labelled.
 */
export function parseStkCallbackText(raw: string): ParseResult<ParsedStkCallback> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  return parseStkCallback(body);
}
