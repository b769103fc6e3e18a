import type { components } from './api-schema';
import { formatMoney } from './format';

type Schemas = components['schemas'];

/** A customer's prepaid account as `GET /v1/accounts/:id` shows it (phone masked for tills). */
export type AccountView = Schemas['AccountViewDto'];
/** One line of an account's statement; `amount` is signed (+ credit, - debit). */
export type StatementEntry = Schemas['StatementEntryDto'];
export type EntryType = StatementEntry['type'];
/** The answer of `POST /v1/accounts/:id/charges`. */
export type ChargeResult = Schemas['ChargeViewDto'];
/** An owner's adjustment: asked by one key, posted only once a second key approves it. */
export type AdjustmentView = Schemas['AdjustmentViewDto'];
export type { AccountBalanceNotice } from '@malipo/realtime-protocol';

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export const INSUFFICIENT_BALANCE = 'ACCOUNT.INSUFFICIENT_BALANCE';

const ENTRY_LABEL: Record<EntryType, string> = {
  DEPOSIT: 'Deposit',
  CHARGE: 'Paid from balance',
  REVERSAL: 'Reversal',
  ADJUSTMENT: 'Adjustment',
};

export const entryLabel = (type: string): string => ENTRY_LABEL[type as EntryType] ?? type;

/**
 * The change an entry made, signed (`+KES 500`, `−KES 200`). Taken from the balances on either
 * side rather than `amount`, so the sign is right whichever way the api signs debits.
 */
export function entryChange(e: Pick<StatementEntry, 'balanceBefore' | 'balanceAfter'>): string {
  const change = e.balanceAfter - e.balanceBefore;
  if (change === 0) return formatMoney(0);
  return `${change > 0 ? '+' : '−'}${formatMoney(Math.abs(change))}`;
}

/** What an entry came from: the M-Pesa receipt of a deposit, else the order of a charge. */
export const entrySource = (e: StatementEntry): string => e.receipt ?? e.orderRef ?? '—';

/** Statement pages loaded by "Load more", as one list (an entry twice is shown once). */
export function joinPages<T extends { id: string }>(pages: readonly Page<T>[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of pages.flatMap((p) => p.data)) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    out.push(row);
  }
  return out;
}

export type AmountCheck = { ok: true; amount: number } | { ok: false; problem: string };

/** A charge from the balance: whole KES, at least 1 (M-Pesa's limits do not apply). */
export function checkChargeAmount(input: string): AmountCheck {
  const text = input.replace(/[,\s]/g, '');
  if (!text) return { ok: false, problem: 'Enter the amount in shillings.' };
  if (!/^\d+$/.test(text)) return { ok: false, problem: 'Whole shillings only, like 250.' };
  const amount = Number(text);
  if (amount < 1) return { ok: false, problem: 'The amount must be at least KES 1.' };
  return { ok: true, amount };
}

/** An adjustment: whole KES, `-` in front to take money off, never zero. */
export function checkAdjustment(input: string): AmountCheck {
  const text = input.replace(/[,\s]/g, '').replace(/^[−–]/, '-');
  if (!text) return { ok: false, problem: 'Enter the amount; put − in front to take money off.' };
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, problem: 'Whole shillings only, like -250.' };
  const amount = Number(text);
  if (amount === 0) return { ok: false, problem: 'An adjustment of KES 0 changes nothing.' };
  return { ok: true, amount };
}

/** The statement's CSV, downloaded with the session cookie. */
export const statementCsvHref = (accountId: string): string =>
  `/v1/accounts/${encodeURIComponent(accountId)}/statement?format=csv`;

/**
 * The Idempotency-Key of one attempt: kept while the same request is sent again (a double tap, a
 * lost answer), new as soon as the request changes. So a retry never charges twice.
 */
export function attemptKey(
  previous: { body: string; key: string } | null,
  body: unknown,
  newKey: () => string,
): { body: string; key: string } {
  const text = JSON.stringify(body);
  return previous?.body === text ? previous : { body: text, key: newKey() };
}

/** An account as a picker or a heading names it: `Wanjiru (C-17)`. */
export const accountName = (a: Pick<AccountView, 'name' | 'externalRef'>): string =>
  a.externalRef ? `${a.name} (${a.externalRef})` : a.name;
