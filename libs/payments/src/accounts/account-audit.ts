import type { AuditRecord } from '@malipo/audit';
import { maskPhone, maskPhonesInText } from '@malipo/common';
import type { AccountRow } from './accounts.repository';
import type { AdjustmentRow } from './adjustments.repository';
import type { DepositLimits } from './ledger-rules';
import type { Posted } from './ledger.repository';

/** An opened account: its code and names; the customer's phone masked like everywhere else. */
export const accountOpenedRecord = (row: AccountRow): AuditRecord => ({
  action: 'account.created',
  subject: { accountId: row.id },
  data: {
    code: row.code,
    name: row.name,
    phone: row.phone ? maskPhone(row.phone) : null,
    externalRef: row.externalRef,
  },
});

/** A sale paid from the balance: the journal it posted and the balance on both sides. */
export const chargeRecord = (posted: Posted, orderRef: string): AuditRecord => ({
  action: 'account.charged',
  subject: { accountId: posted.accountId, journalId: posted.journalId },
  data: {
    amount: -posted.amount,
    orderRef,
    terminalId: posted.terminalId,
    balanceBefore: posted.balanceBefore,
    balanceAfter: posted.balanceAfter,
  },
});

/** An adjustment asked for or decided: amount and reason, and the decision's note. */
export const adjustmentRecord = (
  action: 'adjustment.requested' | 'adjustment.approved' | 'adjustment.rejected',
  row: AdjustmentRow,
): AuditRecord => ({
  action,
  subject: { adjustmentId: row.id, accountId: row.accountId },
  data: {
    amount: row.amount,
    // Free text typed by people: a customer's number in it is masked like in logs.
    reason: maskPhonesInText(row.reason),
    note: row.decisionNote ? maskPhonesInText(row.decisionNote) : null,
    journalId: row.journalId ?? null,
  },
});

export const depositLimitsRecord = (limits: DepositLimits): AuditRecord => ({
  action: 'account_settings.updated',
  subject: {},
  data: { depositMin: limits.depositMin, depositMax: limits.depositMax },
});
