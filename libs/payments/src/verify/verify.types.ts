import type { PaymentView } from '../application/payment-view';

/** What STK Query said about the latest attempt, in verify-now's answer. */
export interface StkQueryAnswer {
  state: 'answered' | 'pending' | 'error' | 'budget' | 'not_applicable';
  outcome?: string;
  resultCode?: string;
  resultDesc?: string;
}

/** M-Pesa's own record of the receipt (Transaction Status), in verify-now's answer. */
export interface TransactionStatusAnswer {
  state:
    'completed' | 'waiting' | 'refused' | 'unknown' | 'timed_out' | 'budget' | 'not_applicable';
  reason?: string;
  resultCode?: string;
  resultDesc?: string;
  found?: boolean;
  receipt?: string;
  amount?: number;
  status?: string;
  /** `"<number> - <name>"`, the number masked. */
  debitParty?: string;
  creditParty?: string;
  finalisedAt?: string;
}

export interface VerifyAnswer {
  /** Malipo's record after anything verify applied. */
  payment: PaymentView;
  mpesa: { stkQuery: StkQueryAnswer; transactionStatus: TransactionStatusAnswer };
  /** The payment's status before verify, so a caller sees what changed. */
  statusBefore: string;
}
