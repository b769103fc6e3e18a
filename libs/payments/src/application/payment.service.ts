import { Injectable } from '@nestjs/common';
import { evidenceDigest, type Actor } from '@malipo/audit';
import { AppConfig, NotFoundError, type TenantId } from '@malipo/common';
import type { Tx } from '@malipo/db';
import {
  attemptTransition,
  transition,
  type DiscrepancyKind,
  type PaymentEvent,
  type Transition,
} from '../domain';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository, type AttemptWrite } from '../infrastructure/payments.repository';
import type { PaymentAudit } from '../infrastructure/payment-audit';
import {
  FIRST_QUERY_DELAY_MS,
  attemptColumns,
  stateColumns,
  toAttemptSnapshot,
  toPaymentState,
  type AttemptRow,
  type PaymentRow,
} from '../infrastructure/payment-rows';
import { PaymentEventsBus } from './payment-events.bus';
import { PhoneLock } from '../infrastructure/phone-lock.repository';
import { AccountBalanceBus } from '../accounts/account-balance.bus';
import { DepositPosting } from '../accounts/deposit-posting.service';

/** Where a piece of news came from, kept with the event as evidence. */
export interface ApplyContext {
  source: 'api' | 'callback' | 'query' | 'reconciler' | 'cashier' | 'ops';
  evidence?: Record<string, unknown>;
  /** Who made the change; by default the request's or job's actor (libs/audit actor.ts). */
  actor?: Actor;
  /** SHA-256 (hex) of raw evidence kept elsewhere (a callback body); else of `evidence`. */
  evidenceSha256?: string;
}

/** The audit side of a change: its actor and the digest of the evidence it rested on. */
function auditOf(ctx: ApplyContext): PaymentAudit {
  const evidenceSha256 =
    ctx.evidenceSha256 ?? (ctx.evidence ? evidenceDigest(ctx.evidence) : undefined);
  return { actor: ctx.actor, evidenceSha256 };
}

/** A payment and an attempt its caller has already locked FOR UPDATE in this transaction. */
export interface LockedRows {
  payment: PaymentRow;
  attempt: AttemptRow;
}

export interface ApplyResult {
  transition: Transition;
  payment: PaymentRow;
}

/**
 * One transaction of payment changes. `tx` runs the caller's own statements (an inbox mark, a
 * new attempt row, reconciler bookkeeping) in the same commit; what `apply` changed is announced
 * after that commit, and nothing is if it rolls back.
 */
export interface PaymentUnitOfWork {
  readonly tx: Tx;
  apply(
    tenantId: TenantId,
    paymentId: string,
    event: PaymentEvent,
    ctx: ApplyContext,
    /** Rows already locked by the caller, as they are now: saves the lock statement. */
    locked?: LockedRows,
  ): Promise<ApplyResult>;
}

type AfterCommit = () => Promise<void>;
type Applied = Extract<Transition, { kind: 'applied' }>;

/**
 * The one path that changes payment and attempt state (STYLE principle 2): lock the row, ask the
 * pure state machines, write the new state with a compare-and-set, the attempt's facts, exactly
 * one event and any discrepancy, all in one transaction; then tell listeners.
 */
@Injectable()
export class PaymentService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly phoneLock: PhoneLock,
    private readonly bus: PaymentEventsBus,
    private readonly config: AppConfig,
    private readonly deposits: DepositPosting,
    private readonly balances: AccountBalanceBus,
  ) {}

  async apply(
    tenantId: TenantId,
    paymentId: string,
    event: PaymentEvent,
    ctx: ApplyContext,
  ): Promise<ApplyResult> {
    return this.transaction((uow) => uow.apply(tenantId, paymentId, event, ctx));
  }

  /**
   * Applies `event` to rows the caller read without a lock (a push's answer: the payment it has
   * just created, the attempt its push-intent mark returned), in one statement instead of a
   * transaction: the write happens only if the payment's version and the attempt's state are
   * still as read. Anything else (they moved, the event is not applied, or opens a discrepancy)
   * takes the locked path, `apply`, with the same state machines.
   */
  async applyAsRead(
    tenantId: TenantId,
    read: LockedRows,
    event: PaymentEvent,
    ctx: ApplyContext,
  ): Promise<ApplyResult> {
    const { payment, attempt } = read;
    const attemptId = 'attemptId' in event ? event.attemptId : undefined;
    const t = transition(toPaymentState(payment), event);
    // A change that would post to an account's ledger takes the locked path, which posts it.
    const posts =
      t.kind === 'applied' &&
      DepositPosting.posts({ accountId: payment.accountId, status: t.payment.status });
    if (attemptId !== attempt.id || t.kind !== 'applied' || t.discrepancy || posts) {
      return this.apply(tenantId, payment.id, event, ctx);
    }
    const effects: AfterCommit[] = [];
    const now = new Date();
    const written = await this.repo.writeChange(this.repo.db, tenantId, {
      before: payment,
      columns: stateColumns(t.payment, now),
      event: this.eventFields(payment, event, t, ctx),
      attempt: this.attemptFacts(attempt, event, now, effects),
      attemptAsRead: attempt,
      audit: auditOf(ctx),
    });
    if (!written) return this.apply(tenantId, payment.id, event, ctx);
    effects.push(() => this.bus.publish([written]));
    for (const run of effects) await run();
    return { transition: t, payment: written.payment };
  }

  /** Runs `work` in one transaction, then the after-commit effects of every change it applied. */
  async transaction<T>(work: (uow: PaymentUnitOfWork) => Promise<T>): Promise<T> {
    const effects: AfterCommit[] = [];
    const result = await this.repo.db.transaction((tx) =>
      work({
        tx,
        apply: (tenantId, paymentId, event, ctx, locked) =>
          this.applyWithin(tx, effects, { tenantId, paymentId, event, ctx, locked }),
      }),
    );
    for (const run of effects) await run();
    return result;
  }

  private async applyWithin(
    tx: Tx,
    effects: AfterCommit[],
    { tenantId, paymentId, event, ctx, locked }: ApplyArgs,
  ): Promise<ApplyResult> {
    const { payment: row, attempt } = await this.lockRows(tx, tenantId, paymentId, event, locked);
    const now = new Date();
    const attemptWrite = this.attemptFacts(attempt, event, now, effects);
    const t = transition(toPaymentState(row), event);
    if (t.kind !== 'applied') {
      if (attemptWrite) {
        await this.repo.updateAttempt(tx, tenantId, attemptWrite.attemptId, attemptWrite.columns);
      }
      if (t.kind === 'ignored' && t.discrepancy) {
        await this.openDiscrepancy(tx, tenantId, row, event, t.discrepancy, ctx);
      }
      return { transition: t, payment: row };
    }
    if (t.discrepancy) await this.openDiscrepancy(tx, tenantId, row, event, t.discrepancy, ctx);
    const columns = stateColumns(t.payment, now);
    // A deposit (or its reversal) is posted in this same transaction, or nothing is. Before the
    // event: every transaction locks an account's row before its shop's chain head (charges and
    // adjustments end with their audit entry too), so the two never wait on each other in a cycle.
    const posted = await this.deposits.afterChange(tx, tenantId, { ...row, ...columns });
    // Last: it takes the tenant's sequence and audit chain head row lock, held until commit.
    const written = await this.repo.writeChange(tx, tenantId, {
      before: row,
      columns,
      event: this.eventFields(row, event, t, ctx),
      attempt: attemptWrite,
      audit: auditOf(ctx),
    });
    if (!written) throw new Error(`payment ${paymentId} changed under its row lock`);
    const { payment: updated, event: eventRow } = written;
    effects.push(() => this.bus.publish([{ payment: updated, event: eventRow }]));
    if (posted) effects.push(async () => this.balances.publish(posted));
    return { transition: t, payment: updated };
  }

  /**
   * The payment row and the event's attempt, locked (payment first, and in one statement when
   * both are needed), unless the caller locked them already in this transaction. The attempt is
   * locked because the push-intent mark (markPushSent) and this change must not interleave.
   */
  private async lockRows(
    tx: Tx,
    tenantId: TenantId,
    paymentId: string,
    event: PaymentEvent,
    locked: LockedRows | undefined,
  ): Promise<{ payment: PaymentRow; attempt?: AttemptRow }> {
    const attemptId =
      'attemptId' in event && event.type !== 'retry_started' ? event.attemptId : undefined;
    if (locked && locked.payment.id === paymentId && locked.attempt.id === attemptId) {
      return locked;
    }
    if (attemptId) {
      const both = await this.repo.lockPaymentWithAttempt(tx, tenantId, paymentId, attemptId);
      if (both) return both;
    }
    const payment = await this.repo.lockPayment(tx, tenantId, paymentId);
    if (!payment) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    if (!attemptId) return { payment };
    throw new NotFoundError('Attempt not found', 'PAYMENT.ATTEMPT_NOT_FOUND');
  }

  private eventFields(row: PaymentRow, event: PaymentEvent, t: Applied, ctx: ApplyContext) {
    return {
      type: event.type,
      fromStatus: t.from,
      toStatus: t.payment.status,
      terminalId: row.terminalId,
      data: { event, source: ctx.source, ...(ctx.evidence ? { evidence: ctx.evidence } : {}) },
    };
  }

  /** The attempt's side of the event (domain `attemptTransition`), as columns to write. */
  private attemptFacts(
    attempt: AttemptRow | undefined,
    event: PaymentEvent,
    now: Date,
    effects: AfterCommit[],
  ): AttemptWrite | undefined {
    if (!attempt) return undefined;
    const change = attemptTransition(toAttemptSnapshot(attempt), event);
    if (!change) return undefined;
    if (change.endsPrompt) {
      const { channelId, phone, id } = attempt;
      effects.push(() => this.phoneLock.release(channelId, phone, id));
    }
    const firstQueryDelayMs = Math.min(
      FIRST_QUERY_DELAY_MS,
      this.config.STK_TIMEOUT_SECONDS * 1000,
    );
    const columns = attemptColumns(change, now, firstQueryDelayMs);
    return Object.keys(columns).length > 0 ? { attemptId: attempt.id, columns } : undefined;
  }

  private async openDiscrepancy(
    tx: Tx,
    tenantId: TenantId,
    payment: PaymentRow,
    event: PaymentEvent,
    kind: DiscrepancyKind,
    ctx: ApplyContext,
  ): Promise<void> {
    await this.discrepancies.open(tx, tenantId, {
      kind,
      paymentId: payment.id,
      attemptId: 'attemptId' in event ? event.attemptId : null,
      receipt: event.type === 'paid' ? event.receipt : null,
      evidence: {
        event,
        previousStatus: payment.status,
        source: ctx.source,
        ...(ctx.evidence ?? {}),
      },
    });
  }
}

interface ApplyArgs {
  tenantId: TenantId;
  paymentId: string;
  event: PaymentEvent;
  ctx: ApplyContext;
  locked?: LockedRows;
}
