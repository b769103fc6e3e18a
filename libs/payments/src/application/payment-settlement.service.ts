import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { ConflictError, NotFoundError, maskPhonesInText, type TenantId } from '@malipo/common';
import { IllegalTransitionError, type PaymentEvent } from '../domain';
import type { PaymentRow } from '../infrastructure/payment-rows';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { PaymentService } from './payment.service';

export type Settlement =
  { outcome: 'paid'; receipt: string; note: string } | { outcome: 'not_paid'; note: string };

/**
 * An operator settles a payment whose outcome nobody could establish (`unknown`: the push may
 * have left, no callback, no CheckoutRequestID, nothing on the statement) from what they learned
 * elsewhere: the shop's M-Pesa statement or the customer's SMS. It goes through the one path like
 * any other news, and closes the unconfirmed_outcome discrepancy it answers, in one transaction.
 */
@Injectable()
export class PaymentSettlementService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly payments: PaymentService,
    private readonly audit: AuditLog,
  ) {}

  async settle(
    tenantId: TenantId,
    paymentId: string,
    s: Settlement,
    by: string,
  ): Promise<PaymentRow> {
    const row = await this.repo.findPayment(this.repo.db, tenantId, paymentId);
    if (!row) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    if (row.status !== 'unknown' || !row.currentAttemptId) {
      throw new IllegalTransitionError(
        `Only a payment whose outcome is unknown can be settled by hand; this one is ${row.status}`,
        { paymentId },
      );
    }
    const event = await this.eventFor(row, row.currentAttemptId, s);
    return this.payments.transaction(async ({ tx, apply }) => {
      const applied = await apply(tenantId, paymentId, event, {
        source: 'ops',
        evidence: { settledBy: by, note: s.note },
      });
      if (applied.transition.kind === 'rejected') throw applied.transition.error;
      const note = `Settled by hand as ${s.outcome}: ${s.note}`;
      const kind = 'unconfirmed_outcome';
      const closed = await this.discrepancies.resolve(tx, tenantId, { paymentId, kind, by, note });
      // The payment event is audited by the one path; each discrepancy it closed is recorded too,
      // as an operator's resolution from the discrepancies API would be.
      for (const discrepancyId of closed) {
        await this.audit.append(tx, tenantId, {
          action: 'discrepancy.resolved',
          subject: { discrepancyId, kind, paymentId },
          data: { note: maskPhonesInText(note) },
        });
      }
      return applied.payment;
    });
  }

  private async eventFor(row: PaymentRow, attemptId: string, s: Settlement): Promise<PaymentEvent> {
    if (s.outcome === 'not_paid') {
      return {
        type: 'failed',
        attemptId,
        code: 'SETTLED_NOT_PAID',
        message: s.note,
        retryable: true,
      };
    }
    const receipt = s.receipt.toUpperCase();
    const holder = await this.repo.findByReceipt(this.repo.db, receipt);
    if (holder && holder.id !== row.id) {
      throw new ConflictError(
        'Another payment already holds this receipt',
        'PAYMENT.RECEIPT_IN_USE',
        {
          paymentId: holder.id,
        },
      );
    }
    return {
      type: 'paid',
      attemptId,
      receipt,
      amount: row.amount,
      paidAt: new Date().toISOString(),
    };
  }
}
