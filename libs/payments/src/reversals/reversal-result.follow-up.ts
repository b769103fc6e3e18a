import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { reversalOutcomeOf, type DarajaResult } from '@malipo/daraja';
import type { PaymentUnitOfWork } from '../application/payment.service';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import type { DarajaRequestRow } from '../results/daraja-requests.repository';
import { ResultHandlerService, type ResultFollowUp } from '../results/result-handler.service';
import { ReversalsRepository } from './reversals.repository';

/** Ends a reversal the way its result says; the payment moves only through `uow.apply`. */
@Injectable()
export class ReversalResultFollowUp implements ResultFollowUp, OnModuleInit {
  constructor(
    private readonly results: ResultHandlerService,
    private readonly reversals: ReversalsRepository,
    private readonly discrepancies: DiscrepanciesRepository,
  ) {}

  onModuleInit(): void {
    this.results.register('reversal', this);
  }

  async onResult(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    req: DarajaRequestRow,
    result: DarajaResult,
  ): Promise<void> {
    const rev = req.reversalId
      ? await this.reversals.lock(uow.tx, tenantId, req.reversalId)
      : undefined;
    if (!rev || rev.state === 'succeeded') return;
    const outcome = reversalOutcomeOf(result);
    const codes = { resultCode: outcome.resultCode, resultDesc: outcome.resultDesc };
    if (outcome.kind === 'failed') {
      await this.reversals.update(uow.tx, tenantId, rev.id, { state: 'failed', ...codes });
      await this.flag(uow, tenantId, rev.paymentId, rev.receipt, 'reversal_failed', {
        reversalId: rev.id,
        ...codes,
      });
      return;
    }
    // R000001: the money went back already, whoever asked first; the payment is reversed either way.
    const reversalReceipt = outcome.kind === 'reversed' ? outcome.reversalReceipt : null;
    await this.reversals.update(uow.tx, tenantId, rev.id, {
      state: 'succeeded',
      reversalReceipt,
      ...codes,
    });
    await uow.apply(
      tenantId,
      rev.paymentId,
      { type: 'reversed', receipt: rev.receipt, reason: rev.reason },
      {
        source: 'callback',
        evidence: {
          reversalId: rev.id,
          conversationId: req.conversationId,
          reversalReceipt,
          ...codes,
        },
      },
    );
  }

  async onUnanswered(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    req: DarajaRequestRow,
  ): Promise<void> {
    const rev = req.reversalId
      ? await this.reversals.lock(uow.tx, tenantId, req.reversalId)
      : undefined;
    if (!rev || ['succeeded', 'failed'].includes(rev.state)) return;
    await this.reversals.update(uow.tx, tenantId, rev.id, {
      state: 'unknown',
      resultDesc: 'queue timeout',
    });
    await this.flag(uow, tenantId, rev.paymentId, rev.receipt, 'reversal_unanswered', {
      reversalId: rev.id,
      detail:
        'Daraja timed the reversal out in its queue: ask Transaction Status before trying again',
    });
  }

  private async flag(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    paymentId: string,
    receipt: string,
    kind: 'reversal_failed' | 'reversal_unanswered',
    evidence: Record<string, unknown>,
  ): Promise<void> {
    await this.discrepancies.open(uow.tx, tenantId, {
      kind,
      paymentId,
      attemptId: null,
      receipt,
      evidence,
    });
  }
}
