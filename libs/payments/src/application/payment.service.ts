import { Injectable } from '@nestjs/common';
import { AppConfig, NotFoundError, type TenantId } from '@malipo/common';
import type { Tx } from '@malipo/db';
import { transition, type PaymentEvent, type Transition } from '../domain';
import type { DiscrepancyKind } from '../domain';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import {
  FIRST_QUERY_DELAY_MS,
  stateColumns,
  toPaymentState,
  type AttemptRow,
  type PaymentRow,
} from '../infrastructure/payment-rows';
import { attemptEffect } from './attempt-effects';
import { PaymentEventsBus, type CommittedChange } from './payment-events.bus';
import { PhoneLock } from './phone-lock';

/** Where a piece of news came from, kept with the event as evidence. */
export interface ApplyContext {
  source: 'api' | 'callback' | 'query' | 'reconciler' | 'cashier' | 'ops';
  evidence?: Record<string, unknown>;
}

export interface ApplyResult {
  transition: Transition;
  payment: PaymentRow;
}

/**
 * The one path that changes payment state (STYLE principle 2): lock the row, ask the pure state
 * machine, write the new state with a compare-and-set, the attempt's facts, exactly one event and
 * any discrepancy, all in one transaction; then tell listeners.
 */
@Injectable()
export class PaymentService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly phoneLock: PhoneLock,
    private readonly bus: PaymentEventsBus,
    private readonly config: AppConfig,
  ) {}

  async apply(
    tenantId: TenantId,
    paymentId: string,
    event: PaymentEvent,
    ctx: ApplyContext,
  ): Promise<ApplyResult> {
    const { result, afterCommit } = await this.repo.db.transaction((tx) =>
      this.applyWithin(tx, tenantId, paymentId, event, ctx),
    );
    await afterCommit();
    return result;
  }

  /**
   * The same change inside a caller's transaction (a retry inserts its attempt first). The caller
   * must run `afterCommit` once the transaction has committed.
   */
  async applyWithin(
    tx: Tx,
    tenantId: TenantId,
    paymentId: string,
    event: PaymentEvent,
    ctx: ApplyContext,
  ): Promise<{ result: ApplyResult; afterCommit: () => Promise<void> }> {
    const row = await this.repo.lockPayment(tx, tenantId, paymentId);
    if (!row) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    const now = new Date();
    const promptEnded = await this.recordAttemptFacts(tx, tenantId, event, now);
    const committed: CommittedChange[] = [];
    const afterCommit = async () => {
      if (promptEnded) {
        await this.phoneLock.release(promptEnded.channelId, promptEnded.phone, promptEnded.id);
      }
      await this.bus.publish(committed);
    };
    const t = transition(toPaymentState(row), event);
    if (t.kind !== 'applied') {
      if (t.kind === 'ignored' && t.discrepancy) {
        await this.openDiscrepancy(tx, tenantId, row, event, t.discrepancy, ctx);
      }
      return { result: { transition: t, payment: row }, afterCommit };
    }
    const updated = await this.repo.updatePayment(
      tx,
      tenantId,
      paymentId,
      row.version,
      stateColumns(t.payment, now),
    );
    if (!updated) throw new Error(`payment ${paymentId} changed under its row lock`);
    const eventRow = await this.repo.appendEvent(tx, tenantId, {
      paymentId,
      type: event.type,
      fromStatus: t.from,
      toStatus: t.payment.status,
      terminalId: row.terminalId,
      data: { event, source: ctx.source, ...(ctx.evidence ? { evidence: ctx.evidence } : {}) },
      payment: updated,
    });
    if (t.discrepancy) await this.openDiscrepancy(tx, tenantId, row, event, t.discrepancy, ctx);
    committed.push({ payment: updated, event: eventRow });
    return { result: { transition: t, payment: updated }, afterCommit };
  }

  private async recordAttemptFacts(
    tx: Tx,
    tenantId: TenantId,
    event: PaymentEvent,
    now: Date,
  ): Promise<AttemptRow | undefined> {
    if (!('attemptId' in event) || event.type === 'retry_started') return undefined;
    // Locked: the push-intent mark (markPushSent) and this change must not interleave.
    const attempt = await this.repo.findAttempt(tx, tenantId, event.attemptId, { lock: true });
    if (!attempt) throw new NotFoundError('Attempt not found', 'PAYMENT.ATTEMPT_NOT_FOUND');
    const effect = attemptEffect(
      attempt,
      event,
      now,
      Math.min(FIRST_QUERY_DELAY_MS, this.config.STK_TIMEOUT_SECONDS * 1000),
    );
    if (!effect) return undefined;
    await this.repo.updateAttempt(tx, tenantId, attempt.id, effect.columns);
    return effect.endsPrompt ? attempt : undefined;
  }

  private async openDiscrepancy(
    tx: Tx,
    tenantId: TenantId,
    payment: PaymentRow,
    event: PaymentEvent,
    kind: DiscrepancyKind,
    ctx: ApplyContext,
  ): Promise<void> {
    const attemptId = 'attemptId' in event ? event.attemptId : null;
    const receipt = event.type === 'paid' ? event.receipt : '';
    await this.repo.openDiscrepancy(tx, tenantId, {
      kind,
      paymentId: payment.id,
      attemptId,
      dedupeKey: `${kind}:${payment.id}:${attemptId ?? ''}:${receipt}`,
      evidence: {
        event,
        previousStatus: payment.status,
        source: ctx.source,
        ...(ctx.evidence ?? {}),
      },
    });
  }
}
