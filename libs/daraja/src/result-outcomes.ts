import { canonicalReceipt } from './daraja-values';
import { parameterAmount, parameterText, type DarajaResult } from './result-envelope';

/** `YYYYMMDDHHmmss` in EAT (a number or a string) → Date; undefined when it is not one. */
export function eatDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const at = new Date(Date.UTC(y, mo - 1, d, h - 3, mi, s));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** M-Pesa's own record of a receipt, from a Transaction Status result (REFERENCE §7.1). */
export interface MpesaRecord {
  found: boolean;
  resultCode: string;
  resultDesc: string;
  receipt?: string;
  amount?: number;
  /** e.g. `Completed`, `Reversed`. */
  status?: string;
  /** `"<number> - <name>"`, as Daraja writes it (the number may be masked). */
  debitParty?: string;
  creditParty?: string;
  finalisedAt?: Date;
}

export function mpesaRecordOf(result: DarajaResult): MpesaRecord {
  const base = { resultCode: result.resultCode, resultDesc: result.resultDesc };
  if (result.resultCode !== '0') return { found: false, ...base };
  const receipt = parameterText(result, 'ReceiptNo') || result.transactionId;
  return {
    found: true,
    ...base,
    receipt: receipt ? canonicalReceipt(receipt) : undefined,
    amount: parameterAmount(result, 'Amount'),
    status: parameterText(result, 'TransactionStatus') || undefined,
    debitParty: parameterText(result, 'DebitPartyName') || undefined,
    creditParty: parameterText(result, 'CreditPartyName') || undefined,
    finalisedAt: eatDate(parameterText(result, 'FinalisedTime')),
  };
}

/**
 * A Reversal result reduced to what Malipo does with it. `already_reversed` (R000001) is still a
 * reversed receipt: the money went back, whoever asked first.
 */
export type ReversalOutcome =
  | { kind: 'reversed'; reversalReceipt: string; resultCode: string; resultDesc: string }
  | { kind: 'already_reversed'; resultCode: string; resultDesc: string }
  | { kind: 'failed'; resultCode: string; resultDesc: string };

export function reversalOutcomeOf(result: DarajaResult): ReversalOutcome {
  const base = { resultCode: result.resultCode, resultDesc: result.resultDesc };
  if (result.resultCode === '0') {
    return { kind: 'reversed', reversalReceipt: canonicalReceipt(result.transactionId), ...base };
  }
  if (result.resultCode === 'R000001') return { kind: 'already_reversed', ...base };
  return { kind: 'failed', ...base };
}
