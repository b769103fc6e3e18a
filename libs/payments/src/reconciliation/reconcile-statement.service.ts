import { Injectable } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import { DarajaError, type DarajaCredentials } from '@malipo/daraja';
import type { AttemptRow, PaymentRow } from '../infrastructure/payment-rows';
import { ReconcileRepository } from './reconcile.repository';
import { PaymentService } from '../application/payment.service';
import { ReconcileReceiptFinder } from './reconcile-receipt-finder.service';

export type StatementSettlement =
  | { settled: true }
  /** No unique statement row (or no statement: Pull Transactions refused or unreachable). */
  | { settled: false; reason: string; candidates: number };

/**
 * Settles an attempt from the shop's statement (Pull Transactions): exactly one row with our bill
 * reference and amount after the push, whose receipt no other payment holds, is the payment, and
 * it goes through PaymentService.apply like a callback with the row kept as evidence. Used when
 * STK Query says "paid" without a receipt, and when the push's answer was lost so that there is no
 * CheckoutRequestID to query at all. A receipt is never invented.
 */
@Injectable()
export class ReconcileStatement {
  constructor(
    private readonly receipts: ReconcileReceiptFinder,
    private readonly reconcileRepo: ReconcileRepository,
    private readonly payments: PaymentService,
  ) {}

  async settle(
    creds: DarajaCredentials,
    payment: PaymentRow,
    a: AttemptRow,
    evidence: Record<string, unknown>,
    now = new Date(),
  ): Promise<StatementSettlement> {
    const search = await this.receipts.find(creds, payment, a, now).catch((error: unknown) => {
      if (error instanceof DarajaError) {
        return { found: false as const, reason: error.code, candidates: 0 };
      }
      throw error;
    });
    if (!search.found) {
      return { settled: false, reason: search.reason, candidates: search.candidates };
    }
    const row = search.row;
    const statement = {
      transactionId: row.transactionId,
      trxDate: row.trxDate.toISOString(),
      billReference: row.billReference,
      amount: row.amount,
    };
    const tenantId = asTenantId(a.tenantId);
    await this.payments.transaction(async ({ tx, apply }) => {
      await apply(
        tenantId,
        a.paymentId,
        {
          type: 'paid',
          attemptId: a.id,
          receipt: row.transactionId,
          amount: a.amount,
          paidAt: row.trxDate.toISOString(),
        },
        { source: 'reconciler', evidence: { ...evidence, statement } },
      );
      // Bookkeeping of the look, in the same commit (see ReconcileRepository.recordLook).
      await this.reconcileRepo.recordLook(tx, tenantId, a.id, {
        queryCount: a.queryCount + 1,
        lastQueryAt: now,
        lastQueryResult: { ...evidence, statement },
      });
    });
    return { settled: true };
  }
}
