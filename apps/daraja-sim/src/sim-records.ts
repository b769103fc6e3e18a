import type { ScenarioSpec } from './scenarios';

export type RequestKind = 'oauth' | 'stk_push' | 'stk_query' | 'other';

/** One request Daraja-side, as a test sees it through GET /sim/requests. */
export interface RequestRecord {
  seq: number;
  at: string;
  method: string;
  path: string;
  kind: RequestKind;
  status: number;
  phone?: string;
  checkoutRequestId?: string;
  errorCode?: string;
  consumerKey?: string;
  body?: unknown;
  response: unknown;
}

export interface CallbackRecord {
  seq: number;
  at: string;
  checkoutRequestId: string;
  merchantRequestId: string;
  phone: string;
  url: string;
  resultCode: number | string;
  /** delivered: 2xx; failed: non-2xx or network error; dropped: fault injection, never sent. */
  outcome: 'delivered' | 'failed' | 'dropped';
  httpStatus?: number;
  error?: string;
  body: unknown;
}

export interface SimTransaction {
  merchantRequestId: string;
  checkoutRequestId: string;
  shortcode: string;
  partyB: string;
  transactionType: string;
  phone: string;
  amount: number;
  callbackUrl: string;
  accountReference: string;
  scenario: ScenarioSpec;
  createdAt: string;
  status: 'pending' | 'completed';
  resultCode?: number | string;
  resultDesc?: string;
  receipt?: string;
  transactionDate?: string;
  completedAt?: string;
  /** Whether this push put a prompt on the phone (and so holds the phone's lock until it ends). */
  prompt: boolean;
}

export interface RecordFilter {
  kind?: string;
  phone?: string;
  checkoutRequestId?: string;
  status?: number;
  outcome?: string;
}

export function matches(record: object, filter: RecordFilter): boolean {
  const r = record as Record<string, unknown>;
  return Object.entries(filter).every(
    ([k, v]) => v === undefined || v === '' || String(r[k]) === String(v),
  );
}
