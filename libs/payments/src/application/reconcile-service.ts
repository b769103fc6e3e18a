import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, asTenantId, metrics, type TenantId } from '@malipo/common';
import { ChannelCredentialsReader } from '@malipo/db';
import { DarajaClient, DarajaError, type DarajaCredentials, type StkOutcome } from '@malipo/daraja';
import type { PaymentEvent } from '../domain';
import {
  LIVE_ATTEMPT_STATES,
  type AttemptRow,
  type AttemptState,
  type PaymentRow,
} from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { ReconcileBudget } from '../infrastructure/reconcile-budget';
import { PUSH_FIRST_QUERY_MS, ReconcileRepository } from '../infrastructure/reconcile-repository';
import { NOT_SENT } from './attempt-effects';
import { outcomeEvent } from './outcome-events';
import { PaymentService } from './payment.service';
import { PhoneLock } from './phone-lock';
import { mapWithLimit, reconcileBackoffMs } from './reconcile-backoff';
import { ReconcileStatement } from './reconcile-statement';

/** A DarajaClient without internal retries: every STK Query it sends is one the budget counted. */
export const RECONCILE_DARAJA = Symbol('RECONCILE_DARAJA');

export type AttemptResult =
  'resolved' | 'transient' | 'budget' | 'waiting' | 'expired' | 'settled' | 'gave_up' | 'error';

export interface TickStats {
  claimed: number;
  results: Partial<Record<AttemptResult, number>>;
  expired: number;
}

export const NEVER_CONFIRMED =
  'The outcome was never confirmed: the push got no answer and no callback came by the deadline';
export const PUSH_ANSWER_LOST =
  'The push may have reached Safaricom but its answer was never recorded; searching the statement';
export const NO_FINAL_ANSWER = 'No final answer from Safaricom by the deadline';

/** What a query answer was, kept on the attempt and as evidence (no phone numbers in it). */
export function querySummary(outcome: StkOutcome | DarajaError): Record<string, unknown> {
  if (outcome instanceof DarajaError) {
    return {
      kind: 'error',
      code: outcome.code,
      errorCode: outcome.errorCode,
      retryable: outcome.retryable,
    };
  }
  return { kind: outcome.kind, resultCode: outcome.resultCode, resultDesc: outcome.resultDesc };
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
    private readonly phoneLock: PhoneLock,
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
    const expired = await this.expireDue();
    return { claimed: claimed.length, results, expired };
  }

  async processAttempt(a: AttemptRow): Promise<AttemptResult> {
    const tenantId = asTenantId(a.tenantId);
    const payment = await this.repo.findPayment(this.repo.db, tenantId, a.paymentId);
    const live = LIVE_ATTEMPT_STATES.includes(a.state as AttemptState);
    if (!payment || !live) {
      // A final attempt: STK Query would repeat its final code; nothing more to learn that way.
      await this.schedule(a, null);
      return 'settled';
    }
    const now = new Date();
    const deadline = a.deadlineAt ?? payment.deadlineAt ?? a.createdAt;
    if (!a.checkoutRequestId) return this.unansweredPush(payment, a, deadline, now);
    if (now.getTime() > deadline.getTime() + this.config.RECONCILE_GRACE_SECONDS * 1000) {
      await this.giveUp(tenantId, payment, a);
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
      await this.transient(tenantId, a, querySummary(outcome), new Date());
      return 'transient';
    }
    if (outcome.kind === 'paid') {
      return this.settlePaid(credentials, payment, a, outcome, new Date());
    }
    await this.recordQuery(tenantId, a, querySummary(outcome), new Date());
    const event = outcomeEvent(a.id, a.amount, outcome, now) as PaymentEvent;
    await this.payments.apply(tenantId, a.paymentId, event, {
      source: 'reconciler',
      evidence: { query: querySummary(outcome) },
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
    await this.transient(asTenantId(a.tenantId), a, evidence, new Date());
    if (now >= (payment.deadlineAt ?? now)) {
      await this.unconfirmed(
        payment,
        a,
        'STK Query says paid; no unique statement row gives the receipt',
        {
          query: evidence,
        },
      );
    }
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
      await this.giveUp(tenantId, payment, a);
      return 'gave_up';
    }
    const { credentials } = await this.credentials.credentialsFor(tenantId, a.channelId);
    const evidence = { kind: 'statement_search', reason: 'no CheckoutRequestID' };
    const result = await this.statement.settle(credentials, payment, a, evidence, now);
    if (result.settled) return 'resolved';
    await this.transient(tenantId, a, { ...evidence, receiptSearch: result.reason }, new Date());
    if (now >= deadline) {
      // No prompt outlives the deadline: the phone may be asked again while the search goes on.
      await this.phoneLock.release(a.channelId, a.phone, a.id);
      await this.unconfirmed(payment, a, NEVER_CONFIRMED, {
        receiptSearch: result.reason,
        candidates: result.candidates,
      });
    }
    return 'transient';
  }

  private async unconfirmed(
    payment: PaymentRow,
    a: AttemptRow,
    detail: string,
    evidence: Record<string, unknown>,
  ): Promise<void> {
    await this.repo.openDiscrepancy(this.repo.db, asTenantId(a.tenantId), {
      kind: 'unconfirmed_outcome',
      paymentId: payment.id,
      attemptId: a.id,
      dedupeKey: `unconfirmed_outcome:${a.id}`,
      evidence: { detail, ...evidence },
    });
  }

  /** Expires every open payment whose deadline passed; idempotent across replicas. */
  async expireDue(): Promise<number> {
    const due = await this.reconcileRepo.dueDeadlines(this.config.RECONCILE_BATCH_SIZE);
    let expired = 0;
    for (const d of due) {
      const payment = await this.repo.findPayment(this.repo.db, d.tenantId, d.paymentId);
      const attempt = d.attemptId
        ? await this.repo.findAttempt(this.repo.db, d.tenantId, d.attemptId)
        : undefined;
      if (payment && (await this.expire(payment, attempt))) {
        expired++;
        metrics.reconcileExpired.inc();
      }
    }
    return expired;
  }

  /**
   * `deadline_passed` through apply; the prompt lock goes with it. True when it expired the
   * payment. An attempt still `pending` was never pushed: it ends with the payment (NOT_SENT).
   * A maybe-pushed attempt without a CheckoutRequestID is not expired here (dueDeadlines leaves
   * it out): unansweredPush settles it from evidence.
   */
  private async expire(payment: PaymentRow, a: AttemptRow | undefined): Promise<boolean> {
    const tenantId = asTenantId(payment.tenantId);
    // A live attempt is the current one (a retry needs the previous attempt final).
    const attemptId = a?.id ?? payment.currentAttemptId;
    if (!attemptId) return false;
    const { transition } = await this.payments.apply(
      tenantId,
      payment.id,
      {
        type: 'deadline_passed',
        attemptId,
        reason: a?.state === 'pending' ? NOT_SENT : NO_FINAL_ANSWER,
      },
      { source: 'reconciler' },
    );
    if (a && transition.kind === 'applied') {
      await this.phoneLock.release(a.channelId, a.phone, a.id);
    }
    return transition.kind === 'applied';
  }

  /** The grace window is over without a final answer: stop asking, tell an operator. */
  private async giveUp(tenantId: TenantId, payment: PaymentRow, a: AttemptRow): Promise<void> {
    await this.repo.db.transaction(async (tx) => {
      await this.repo.updateAttempt(tx, tenantId, a.id, {
        state: 'final',
        outcome: 'unconfirmed',
        resultDesc: 'No final answer from Safaricom within the grace window',
        finalizedAt: new Date(),
        nextQueryAt: null,
      });
      await this.repo.openDiscrepancy(tx, tenantId, {
        kind: 'unconfirmed_outcome',
        paymentId: payment.id,
        attemptId: a.id,
        dedupeKey: `unconfirmed_outcome:${a.id}`,
        evidence: {
          detail: 'grace window over without a final answer',
          queries: a.queryCount,
          lastQueryResult: a.lastQueryResult,
        },
      });
    });
  }

  private async transient(
    tenantId: TenantId,
    a: AttemptRow,
    result: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    const wait = reconcileBackoffMs(
      a.queryCount + 1,
      this.config.RECONCILE_BACKOFF_BASE_MS,
      this.config.RECONCILE_BACKOFF_MAX_MS,
    );
    await this.repo.updateAttempt(this.repo.db, tenantId, a.id, {
      queryCount: a.queryCount + 1,
      lastQueryAt: now,
      lastQueryResult: result,
      nextQueryAt: new Date(now.getTime() + wait),
    });
  }

  private async recordQuery(
    tenantId: TenantId,
    a: AttemptRow,
    result: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    await this.repo.updateAttempt(this.repo.db, tenantId, a.id, {
      queryCount: a.queryCount + 1,
      lastQueryAt: now,
      lastQueryResult: result,
    });
  }

  /** next_query_at for a later look; a never-queried attempt is claimed early by the threshold shift. */
  private async schedule(a: AttemptRow, at: Date | null): Promise<void> {
    const shift = a.queryCount === 0 ? this.firstQueryShiftMs : 0;
    await this.repo.updateAttempt(this.repo.db, asTenantId(a.tenantId), a.id, {
      nextQueryAt: at ? new Date(at.getTime() + shift) : null,
    });
  }
}
