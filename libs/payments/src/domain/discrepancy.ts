import type { DiscrepancyKind } from './payment';

/**
 * One thing an operator must look at. The fact is its kind, the attempt (or, without one, the
 * payment) it is about and the receipt involved; whoever reports it, and however often, it is
 * one discrepancy. Evidence is what the first reporter knew.
 */
export interface DiscrepancyFact {
  kind: DiscrepancyKind;
  paymentId: string | null;
  attemptId: string | null;
  receipt?: string | null;
  /** What the fact is about when it is neither an attempt nor a payment (a ledger account). */
  subject?: string;
  evidence: Record<string, unknown>;
}

/** The one dedupe-key scheme: equal facts, equal keys, whichever path reports them. */
export function discrepancyKey(f: Omit<DiscrepancyFact, 'evidence'>): string {
  const subject = f.attemptId
    ? `attempt:${f.attemptId}`
    : (f.subject ?? `payment:${f.paymentId ?? '-'}`);
  return `${f.kind}:${subject}:${(f.receipt ?? '').toUpperCase()}`;
}
