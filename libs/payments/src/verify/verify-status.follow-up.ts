import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { mpesaRecordOf, type DarajaResult, type MpesaRecord } from '@malipo/daraja';
import type { PaymentUnitOfWork } from '../application/payment.service';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { PaymentRow } from '../infrastructure/payment-rows';
import type { DarajaRequestRow } from '../results/daraja-requests.repository';
import { ResultHandlerService, type ResultFollowUp } from '../results/result-handler.service';

/** How M-Pesa's record of a receipt and Malipo's payment differ; undefined when they agree. */
export function recordDifference(p: PaymentRow, r: MpesaRecord): string | undefined {
  if (!r.found) return `M-Pesa has no record of receipt ${p.receipt ?? '?'} (${r.resultCode})`;
  if (r.amount !== undefined && r.amount !== (p.paidAmount ?? p.amount)) {
    return `M-Pesa amount ${r.amount} differs from ${p.paidAmount ?? p.amount}`;
  }
  const mpesaReversed = r.status?.toLowerCase() === 'reversed';
  if (mpesaReversed !== (p.status === 'reversed')) {
    return `M-Pesa status ${r.status ?? '?'} against Malipo ${p.status}`;
  }
  return undefined;
}

/**
 * A Transaction Status result of verify-now. A reversal M-Pesa made outside Malipo (the portal)
 * is applied through the one path; any other difference opens a discrepancy for an operator.
 */
@Injectable()
export class VerifyStatusFollowUp implements ResultFollowUp, OnModuleInit {
  constructor(
    private readonly results: ResultHandlerService,
    private readonly payments: PaymentsRepository,
    private readonly discrepancies: DiscrepanciesRepository,
  ) {}

  onModuleInit(): void {
    this.results.register('transaction_status', this);
  }

  async onResult(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    req: DarajaRequestRow,
    result: DarajaResult,
  ): Promise<void> {
    if (!req.paymentId) return;
    const payment = await this.payments.findPayment(uow.tx, tenantId, req.paymentId);
    if (!payment?.receipt) return;
    const record = mpesaRecordOf(result);
    const difference = recordDifference(payment, record);
    if (!difference) return;
    if (
      record.found &&
      record.status?.toLowerCase() === 'reversed' &&
      payment.status === 'succeeded'
    ) {
      const reason = 'M-Pesa Transaction Status says the receipt was reversed';
      await uow.apply(
        tenantId,
        payment.id,
        { type: 'reversed', receipt: payment.receipt, reason },
        {
          source: 'query',
          evidence: { verify: req.id, resultCode: record.resultCode },
        },
      );
      return;
    }
    await this.discrepancies.open(uow.tx, tenantId, {
      kind: 'verify_mismatch',
      paymentId: payment.id,
      attemptId: null,
      receipt: payment.receipt,
      evidence: { detail: difference, verify: req.id, resultCode: record.resultCode },
    });
  }

  async onUnanswered(): Promise<void> {
    // Verify asks again when a person asks again; nothing to undo.
  }
}
