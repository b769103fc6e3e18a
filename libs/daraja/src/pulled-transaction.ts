import { canonicalReceipt, wholeAmount } from './daraja-values';

/** One row of the Pull Transactions answer (REFERENCE §7.3), normalised. */
export interface PulledTransaction {
  /** The M-Pesa receipt. */
  transactionId: string;
  trxDate: Date;
  /** Opaque: Safaricom masks or hashes it. */
  msisdn: string;
  billReference: string;
  amount: number;
  transactionType: string;
}

/** The rows of one Pull answer, whatever else it holds. */
export function pulledRows(data: unknown): Record<string, unknown>[] {
  const response = (data as { Response?: unknown } | null)?.Response;
  if (!Array.isArray(response)) return [];
  // Observed both as a flat list and as a list of lists.
  return response.flat(2).filter((r): r is Record<string, unknown> => !!r && typeof r === 'object');
}

/** `2020-08-05T10:13:00`, `2020-08-05 10:13:00`, with or without fraction and zone. */
const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The statement's trxDate. `new Date()` would read a zoneless time in the server's zone and take
 * `"1"` for the year 2001; Daraja's times are EAT, so a zoneless one is read as +03:00.
 */
function trxDateOf(value: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const date = new Date(`${m[1]}T${m[2]}${m[3] ?? '+03:00'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** One statement row as Malipo keeps it; undefined when it has no receipt, amount or date. */
export function normalisePulledRow(r: Record<string, unknown>): PulledTransaction | undefined {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const id = canonicalReceipt(text(r.transactionId));
  const amount = wholeAmount(r.amount);
  const trxDate = trxDateOf(text(r.trxDate));
  if (!id || amount === undefined || !trxDate) return undefined;
  return {
    transactionId: id,
    trxDate,
    msisdn: text(r.msisdn),
    billReference: text(r.billreference),
    amount,
    transactionType: text(r.transactiontype),
  };
}
