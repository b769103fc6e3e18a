import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { NotFoundError, asTenantId, maskPhonesInText, type TenantId } from '@malipo/common';
import { ChannelCredentialsReader, DRIZZLE, type Db } from '@malipo/db';
import {
  DarajaClient,
  DarajaError,
  ResultApiClient,
  mpesaRecordOf,
  type DarajaCredentials,
  type DarajaResult,
  type StkOutcome,
} from '@malipo/daraja';
import { outcomeEvent } from '../application/outcome-events';
import { PaymentService } from '../application/payment.service';
import { toPaymentView } from '../application/payment-view';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { AttemptRow, PaymentRow } from '../infrastructure/payment-rows';
import { ReconcileBudget } from '../reconciliation/reconcile-budget.repository';
import { RECONCILE_DARAJA, querySummary } from '../reconciliation/reconcile-query';
import { ReconcileStatement } from '../reconciliation/reconcile-statement.service';
import { DarajaRequestsRepository } from '../results/daraja-requests.repository';
import { ResultSubmissionService } from '../results/result-submission.service';
import type { StkQueryAnswer, TransactionStatusAnswer, VerifyAnswer } from './verify.types';

/** How long verify waits for the Transaction Status result before answering `waiting`. */
const RESULT_WAIT_MS = 8_000;
const POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Verify now: STK Query for the latest attempt and Transaction Status for the receipt, both on
 * the reconciler's per-channel query budget. What they say is applied through the one path
 * (a late success wins as always) or, when no event can express it, opened as a discrepancy.
 */
@Injectable()
export class VerifyService {
  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly repo: PaymentsRepository,
    private readonly reader: ChannelCredentialsReader,
    private readonly budget: ReconcileBudget,
    @Inject(RECONCILE_DARAJA) private readonly daraja: DarajaClient,
    private readonly statement: ReconcileStatement,
    private readonly payments: PaymentService,
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly submitter: ResultSubmissionService,
    private readonly results: ResultApiClient,
    private readonly requests: DarajaRequestsRepository,
    private readonly audit: AuditLog,
  ) {}

  async verify(tenantId: TenantId, paymentId: string): Promise<VerifyAnswer> {
    const before = await this.repo.findPayment(this.db, tenantId, paymentId);
    if (!before) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    const { channel, credentials } = await this.reader.credentialsFor(tenantId, before.channelId);
    const attempt = before.currentAttemptId
      ? await this.repo.findAttempt(this.db, tenantId, before.currentAttemptId)
      : undefined;
    const stkQuery = await this.queryAttempt(
      credentials,
      before,
      attempt,
      channel.queryBudgetPerMinute,
    );
    const afterQuery = (await this.repo.findPayment(this.db, tenantId, paymentId)) ?? before;
    const transactionStatus = await this.transactionStatus(
      tenantId,
      afterQuery,
      channel.queryBudgetPerMinute,
    );
    const after = (await this.repo.findPayment(this.db, tenantId, paymentId)) ?? afterQuery;
    // What verify asked and learned; a change it caused is a payment event of its own.
    await this.audit.appendAlone(tenantId, {
      action: 'payment.verified',
      subject: { paymentId, orderRef: before.orderRef },
      data: {
        statusBefore: before.status,
        statusAfter: after.status,
        stkQuery: stkQuery.state,
        transactionStatus: transactionStatus.state,
      },
    });
    return {
      payment: toPaymentView(after, { fullPhone: true }),
      mpesa: { stkQuery, transactionStatus },
      statusBefore: before.status,
    };
  }

  private async queryAttempt(
    creds: DarajaCredentials,
    payment: PaymentRow,
    attempt: AttemptRow | undefined,
    perMinute: number | null,
  ): Promise<StkQueryAnswer> {
    if (!attempt?.checkoutRequestId) return { state: 'not_applicable' };
    const slot = await this.budget.take(attempt.channelId, perMinute);
    if (!slot.ok) {
      return { state: 'budget', resultDesc: `query budget spent; retry in ${slot.retryInMs} ms` };
    }
    const outcome = await this.daraja
      .stkQuery(creds, attempt.checkoutRequestId)
      .catch((error: unknown) => {
        if (error instanceof DarajaError) return error;
        throw error;
      })
      .finally(() => this.budget.settle(attempt.channelId, slot.slot).catch(() => undefined));
    if (outcome instanceof DarajaError) return { state: 'error', resultCode: outcome.code };
    const answer = {
      outcome: outcome.kind,
      resultCode: outcome.resultCode,
      resultDesc: outcome.resultDesc,
    };
    if (outcome.kind === 'pending') return { state: 'pending', ...answer };
    await this.applyQuery(creds, payment, attempt, outcome);
    return { state: 'answered', ...answer };
  }

  /** A final STK Query answer: a success needs its receipt from the statement, as in reconciling. */
  private async applyQuery(
    creds: DarajaCredentials,
    payment: PaymentRow,
    attempt: AttemptRow,
    outcome: Exclude<StkOutcome, { kind: 'pending' }>,
  ): Promise<void> {
    const tenantId = asTenantId(payment.tenantId);
    const query = { ...querySummary(outcome), verify: true };
    if (outcome.kind === 'paid') {
      if (payment.status === 'succeeded' || payment.status === 'reversed') return;
      const settled = await this.statement.settle(creds, payment, attempt, query);
      if (!settled.settled) {
        await this.mismatch(
          payment,
          'STK Query says paid; no statement row gives the receipt',
          query,
        );
      }
      return;
    }
    const event = outcomeEvent(attempt.id, attempt.amount, outcome, new Date());
    if (!event) return;
    const result = await this.payments.apply(tenantId, payment.id, event, {
      source: 'query',
      evidence: { query },
    });
    if (result.transition.kind === 'rejected') {
      await this.mismatch(
        payment,
        `STK Query says ${outcome.kind}; Malipo has ${payment.status}`,
        query,
      );
    }
  }

  private async mismatch(
    payment: PaymentRow,
    detail: string,
    evidence: Record<string, unknown>,
  ): Promise<void> {
    await this.discrepancies.open(this.db, asTenantId(payment.tenantId), {
      kind: 'verify_mismatch',
      paymentId: payment.id,
      attemptId: payment.currentAttemptId,
      receipt: payment.receipt,
      evidence: { detail, ...evidence },
    });
  }

  /** Transaction Status of the receipt; its result is applied by VerifyStatusFollowUp. */
  private async transactionStatus(
    tenantId: TenantId,
    payment: PaymentRow,
    perMinute: number | null,
  ): Promise<TransactionStatusAnswer> {
    const { receipt } = payment;
    const channel = (await this.reader.credentialsFor(tenantId, payment.channelId)).channel;
    const initiator = this.reader.initiatorFor(channel);
    if (!receipt) return { state: 'not_applicable', reason: 'no receipt yet' };
    if (!initiator) return { state: 'not_applicable', reason: 'the channel has no initiator' };
    const slot = await this.budget.take(channel.id, perMinute);
    if (!slot.ok) {
      return { state: 'budget', reason: `query budget spent; retry in ${slot.retryInMs} ms` };
    }
    const creds = this.submitter.credentialsOf(channel);
    const { request, submission } = await this.submitter
      .submit(tenantId, channel, { kind: 'transaction_status', paymentId: payment.id }, (urls) =>
        this.results.transactionStatus(creds, initiator, { transactionId: receipt, ...urls }),
      )
      .finally(() => this.budget.settle(channel.id, slot.slot).catch(() => undefined));
    if (submission.kind !== 'accepted') {
      return { state: submission.kind, reason: submission.reason };
    }
    return this.awaitResult(tenantId, request.id);
  }

  private async awaitResult(
    tenantId: TenantId,
    requestId: string,
  ): Promise<TransactionStatusAnswer> {
    const deadline = Date.now() + RESULT_WAIT_MS;
    while (Date.now() < deadline) {
      const row = await this.requests.find(this.db, tenantId, requestId);
      if (row?.state === 'timed_out') return { state: 'timed_out' };
      if (row?.state === 'completed') return recordAnswer(row.result);
      await sleep(POLL_MS);
    }
    return { state: 'waiting', reason: 'M-Pesa has not answered yet; verify again later' };
  }
}

/** The stored DarajaResult (request.result) as the answer's record, the number masked. */
function recordAnswer(stored: unknown): TransactionStatusAnswer {
  const result = stored as DarajaResult;
  const r = mpesaRecordOf({ ...result, parameters: result.parameters ?? {} });
  const mask = (v?: string) => (v ? maskPhonesInText(v) : undefined);
  return {
    state: 'completed',
    resultCode: r.resultCode,
    resultDesc: r.resultDesc,
    found: r.found,
    receipt: r.receipt,
    amount: r.amount,
    status: r.status,
    debitParty: mask(r.debitParty),
    creditParty: mask(r.creditParty),
    finalisedAt: r.finalisedAt?.toISOString(),
  };
}
