import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, asTenantId, metrics } from '@malipo/common';
import { ChannelCredentialsReader } from '@malipo/db';
import { DarajaClient, DarajaError, type DarajaCredentials, type StkOutcome } from '@malipo/daraja';
import { isAttemptLive, type PaymentEvent } from '../domain';
import {
  toAttemptSnapshot,
  type AttemptRow,
  type PaymentRow,
} from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { ReconcileBudget } from './reconcile-budget.repository';
import { PUSH_FIRST_QUERY_MS, ReconcileRepository, type Look } from './reconcile.repository';
import { outcomeEvent } from '../application/outcome-events';
import { PaymentService } from '../application/payment.service';
import { mapWithLimit, reconcileBackoffMs } from './reconcile-backoff';
import {
  GRACE_OVER,
  NEVER_CONFIRMED,
  PAID_WITHOUT_RECEIPT,
  PUSH_ANSWER_LOST,
  RECONCILE_DARAJA,
  querySummary,
} from './reconcile-query';
import { ReconcileDeadlinesService } from './reconcile-deadlines.service';
import { ReconcileStatement } from './reconcile-statement.service';

export type AttemptResult =
  'resolved' | 'transient' | 'budget' | 'waiting' | 'expired' | 'settled' | 'gave_up' | 'error';

export interface TickStats {
  claimed: number;
  results: Partial<Record<AttemptResult, number>>;
  expired: number;
}

/**
 * The reconciler: asks Safaricom about attempts nobody told us about, feeds the answers to
 * PaymentService.apply like a callback, expires payments at their deadline and keeps asking during
 * the grace window, because a late success is still real money.
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly reconcileRepo: ReconcileRepository,
    private readonly payments: PaymentService,
    private readonly budget: ReconcileBudget,
    private readonly credentials: ChannelCredentialsReader,
    @Inject(RECONCILE_DARAJA) private readonly daraja: DarajaClient,
    private readonly statement: ReconcileStatement,
    private readonly deadlines: ReconcileDeadlinesService,
    private readonly config: AppConfig,
  ) {}

  private get firstQueryShiftMs(): number {
    return PUSH_FIRST_QUERY_MS - this.config.RECONCILE_THRESHOLD_SECONDS * 1000;
  }

  /** One pass: claim and query due attempts, then expire passed deadlines. */
  async tick(): Promise<TickStats> {
    const claimed = await this.reconcileRepo.claim({
      limit: this.config.RECONCILE_BATCH_SIZE,
      leaseMs: this.config.RECONCILE_LEASE_MS,
      firstQueryShiftMs: this.firstQueryShiftMs,
    });
    const outcomes = await mapWithLimit(claimed, this.config.RECONCILE_CONCURRENCY, (a) =>
      this.processAttempt(a).catch((error: unknown) => {
        this.logger.warn(
          { attemptId: a.id, err: (error as Error).message },
          'reconcile failed; the lease will lapse and it is tried again',
        );
        return 'error' as const;
      }),
    );
    const results: TickStats['results'] = {};
    for (const o of outcomes) {
      results[o] = (results[o] ?? 0) + 1;
      metrics.reconcileAttempts.inc({ result: o });
    }
    const expired = await this.deadlines.expireDue();
    return { claimed: claimed.length, results, expired };
  }

  async processAttempt(a: AttemptRow): Promise<AttemptResult> {
    const tenantId = asTenantId(a.tenantId);
    const payment = await this.repo.findPayment(this.repo.db, tenantId, a.paymentId);
    if (!payment || !isAttemptLive(toAttemptSnapshot(a))) {
      // A final attempt: STK Query would repeat its final code; nothing more to learn that way.
      await this.schedule(a, null);
      return 'settled';
    }
    const now = new Date();
    const deadline = a.deadlineAt ?? payment.deadlineAt ?? a.createdAt;
    if (!a.checkoutRequestId) return this.unansweredPush(payment, a, deadline, now);
    if (now.getTime() > deadline.getTime() + this.config.RECONCILE_GRACE_SECONDS * 1000) {
      await this.giveUp(payment, a);
      return 'gave_up';
    }
    const { channel, credentials } = await this.credentials.credentialsFor(tenantId, a.channelId);
    const slot = await this.budget.take(a.channelId, channel.queryBudgetPerMinute);
    if (!slot.ok) {
      await this.schedule(a, new Date(now.getTime() + slot.retryInMs));
      return 'budget';
    }
    const outcome = await this.daraja
      .stkQuery(credentials, a.checkoutRequestId)
      .catch((error: unknown) => {
        if (error instanceof DarajaError) return error;
        throw error;
      })
      .finally(() => this.budget.settle(a.channelId, slot.slot).catch(() => undefined));
    if (outcome instanceof DarajaError || outcome.kind === 'pending') {
      await this.noAnswerYet(payment, a, querySummary(outcome));
      return 'transient';
    }
    if (outcome.kind === 'paid') {
      return this.settlePaid(credentials, payment, a, outcome, new Date());
    }
    const event = outcomeEvent(a.id, a.amount, outcome, now) as PaymentEvent;
    const query = querySummary(outcome);
    await this.payments.transaction(async ({ tx, apply }) => {
      await apply(tenantId, a.paymentId, event, { source: 'reconciler', evidence: { query } });
      await this.reconcileRepo.recordLook(tx, tenantId, a.id, this.look(a, query, new Date()));
    });
    return 'resolved';
  }

  /** Query said paid: the receipt comes from the statement, or the payment is not marked paid. */
  private async settlePaid(
    creds: DarajaCredentials,
    payment: PaymentRow,
    a: AttemptRow,
    outcome: Extract<StkOutcome, { kind: 'paid' }>,
    now: Date,
  ): Promise<AttemptResult> {
    const query = querySummary(outcome);
    const result = await this.statement.settle(creds, payment, a, query, now);
    if (result.settled) return 'resolved';
    const evidence = { ...query, receiptSearch: result.reason, candidates: result.candidates };
    const pastDeadline = now >= (payment.deadlineAt ?? now);
    await this.noAnswerYet(payment, a, evidence, pastDeadline ? PAID_WITHOUT_RECEIPT : undefined, {
      query: evidence,
    });
    return 'transient';
  }

  /**
   * The push may have left (push_sent_at) but its answer was never recorded, so there is no
   * CheckoutRequestID to query: the api died mid-push, or Daraja timed out or answered 5xx. Once
   * the api had its chance to record the answer, the payment becomes `unknown` and the shop's
   * statement is searched through the grace window. Never expired without evidence: past the
   * deadline an operator is told (unconfirmed_outcome) while the search goes on. Without Pull
   * Transactions (not registered, or unreachable) the search finds nothing and the operator
   * settles it (POST /v1/payments/:id/settle).
   */
  private async unansweredPush(
    payment: PaymentRow,
    a: AttemptRow,
    deadline: Date,
    now: Date,
  ): Promise<AttemptResult> {
    const tenantId = asTenantId(a.tenantId);
    const answerBy = new Date(
      (a.pushSentAt ?? a.createdAt).getTime() + this.config.PUSH_ANSWER_WINDOW_SECONDS * 1000,
    );
    if (a.state === 'pending' || (payment.status === 'created' && now < answerBy)) {
      await this.schedule(a, a.state === 'pending' ? deadline : answerBy);
      return 'waiting';
    }
    if (payment.status === 'created') {
      await this.payments.apply(
        tenantId,
        payment.id,
        { type: 'stk_unknown', attemptId: a.id, reason: PUSH_ANSWER_LOST },
        { source: 'reconciler' },
      );
    }
    if (now.getTime() > deadline.getTime() + this.config.RECONCILE_GRACE_SECONDS * 1000) {
      await this.giveUp(payment, a);
      return 'gave_up';
    }
    const { credentials } = await this.credentials.credentialsFor(tenantId, a.channelId);
    const evidence = { kind: 'statement_search', reason: 'no CheckoutRequestID' };
    const result = await this.statement.settle(credentials, payment, a, evidence, now);
    if (result.settled) return 'resolved';
    // Past the deadline no prompt is left (the phone may be asked again) and an operator is told,
    // in the same commit as the look, while the search goes on.
    const search = { receiptSearch: result.reason, candidates: result.candidates };
    await this.noAnswerYet(
      payment,
      a,
      { ...evidence, receiptSearch: result.reason },
      now >= deadline ? NEVER_CONFIRMED : undefined,
      search,
    );
    return 'transient';
  }

  /**
   * A look without a final answer: ask again after a backoff. With `unconfirmed`, the operator's
   * discrepancy (outcome_unconfirmed through apply) commits with that bookkeeping or not at all.
   */
  private async noAnswerYet(
    payment: PaymentRow,
    a: AttemptRow,
    result: Record<string, unknown>,
    unconfirmed?: string,
    evidence: Record<string, unknown> = {},
  ): Promise<void> {
    const tenantId = asTenantId(a.tenantId);
    const wait = reconcileBackoffMs(
      a.queryCount + 1,
      this.config.RECONCILE_BACKOFF_BASE_MS,
      this.config.RECONCILE_BACKOFF_MAX_MS,
    );
    const now = new Date();
    const look = { ...this.look(a, result, now), nextQueryAt: new Date(now.getTime() + wait) };
    if (!unconfirmed) {
      return this.reconcileRepo.recordLook(this.reconcileRepo.db, tenantId, a.id, look);
    }
    await this.payments.transaction(async ({ tx, apply }) => {
      const event = { type: 'outcome_unconfirmed' as const, attemptId: a.id, detail: unconfirmed };
      await apply(tenantId, payment.id, event, {
        source: 'reconciler',
        // The discrepancies API shows evidence as stored; operators read `detail` first.
        evidence: { detail: unconfirmed, ...evidence },
      });
      await this.reconcileRepo.recordLook(tx, tenantId, a.id, look);
    });
  }

  /**
   * The grace window is over without a final answer: stop asking, tell an operator. The attempt
   * ends `unconfirmed` and the discrepancy opens in one transaction (query_given_up via apply).
   */
  private async giveUp(payment: PaymentRow, a: AttemptRow): Promise<void> {
    await this.payments.apply(
      asTenantId(a.tenantId),
      payment.id,
      { type: 'query_given_up', attemptId: a.id, detail: GRACE_OVER },
      {
        source: 'reconciler',
        evidence: {
          detail: 'grace window over without a final answer',
          queries: a.queryCount,
          lastQueryResult: a.lastQueryResult,
        },
      },
    );
  }

  private look(a: AttemptRow, result: Record<string, unknown>, now: Date): Look {
    return { queryCount: a.queryCount + 1, lastQueryAt: now, lastQueryResult: result };
  }

  /** next_query_at for a later look; a never-queried attempt is claimed early by the threshold shift. */
  private async schedule(a: AttemptRow, at: Date | null): Promise<void> {
    const shift = a.queryCount === 0 ? this.firstQueryShiftMs : 0;
    await this.reconcileRepo.recordLook(this.reconcileRepo.db, asTenantId(a.tenantId), a.id, {
      nextQueryAt: at ? new Date(at.getTime() + shift) : null,
    });
  }
}
