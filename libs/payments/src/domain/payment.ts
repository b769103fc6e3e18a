import type { PaymentStatus } from './payment-status';

export interface PaymentFailure {
  code: string;
  message: string;
  retryable: boolean;
}

/** The part of a payment the state machine reasons about. */
export interface PaymentState {
  id: string;
  status: PaymentStatus;
  version: number;
  amount: number;
  currentAttemptId: string | null;
  attemptCount: number;
  receipt: string | null;
  paidAmount: number | null;
  paidAt: string | null;
  failure: PaymentFailure | null;
}

export type DiscrepancyKind =
  | 'late_success'
  | 'paid_after_cancel'
  | 'amount_mismatch'
  | 'checkout_mismatch'
  | 'duplicate_receipt'
  | 'double_payment'
  | 'orphan_callback'
  | 'unconfirmed_outcome'
  /** Daraja refused or failed a reversal that two people approved. */
  | 'reversal_failed'
  /** A reversal's result never came (queue timeout, or the answer was lost). */
  | 'reversal_unanswered'
  /** Verify-now: M-Pesa's record and Malipo's disagree in a way no event can settle. */
  | 'verify_mismatch'
  /** A reversed deposit the account's balance could not cover; the rest is owed (issue 17). */
  | 'account_reversal_shortfall'
  /** Nightly ledger check: an account's balance is not the sum of its entries. */
  | 'ledger_balance_mismatch'
  /** Nightly ledger check: a succeeded deposit has no posting, or more than one. */
  | 'ledger_deposit_unposted'
  /** Nightly ledger check: a journal's entries do not sum to zero. */
  | 'ledger_journal_unbalanced'
  /** The nightly check found the shop's audit chain broken (issue 18): evidence names the seq. */
  | 'audit_chain_broken';
