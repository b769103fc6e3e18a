import { Injectable } from '@nestjs/common';
import { evidenceDigest } from '@malipo/audit';
import { metrics, type TenantId } from '@malipo/common';
import { ChannelsRepository, isUniqueViolation, sqlStateOf, type Tx } from '@malipo/db';
import { parseStkCallbackText, type ParsedStkCallback } from '@malipo/daraja';
import { sameAmount, transition, type DiscrepancyKind, type PaymentEvent } from '../domain';
import {
  CallbackInboxRepository,
  type InboxRow,
  type InboxState,
} from './callback-inbox.repository';
import { toPaymentState, type AttemptRow } from '../infrastructure/payment-rows';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { CallbackConfirmation, type Confirmation } from './callback-confirmation.service';
import { outcomeEvent } from '../application/outcome-events';
import { PaymentService, type PaymentUnitOfWork } from '../application/payment.service';

export type CallbackResult = InboxState | 'skipped';

interface Integrity {
  kind: DiscrepancyKind;
  detail: string;
  receipt?: string;
}

/** Nothing written: ask Safaricom outside the transaction, then apply again with the answer. */
interface NeedsConfirmation {
  state: 'needs_confirmation';
  attempt: AttemptRow;
  callback: ParsedStkCallback;
}

/** The row has been marked by applyRow itself (before its events, see there). */
type RowResult = { state: InboxState; error?: string; marked?: boolean } | NeedsConfirmation;

type LockedForApply = NonNullable<Awaited<ReturnType<CallbackInboxRepository['lockForApply']>>>;

interface PassOptions {
  locked: LockedForApply | undefined;
  confirmation: Confirmation | undefined;
  /** Look the receipt up even where its unique index would catch a second holder. */
  lookUpReceipt: boolean;
}

/**
 * True when the one event applies to the locked payment and writes this receipt to it: then the
 * unique index on receipts refuses a receipt another payment holds (and the pass is repeated with
 * the lookup that names it), so looking it up first would only cost a statement.
 */
function receiptLeftToIndex(
  locked: LockedForApply | undefined,
  cb: ParsedStkCallback,
  events: PaymentEvent[],
): boolean {
  if (!locked || events.length !== 1 || cb.outcome.kind !== 'paid') return false;
  const t = transition(toPaymentState(locked.payment), events[0]);
  return t.kind === 'applied' && t.payment.receipt === cb.outcome.receipt;
}

/**
 * Applies one stored callback exactly once: inbox row and payment change in one transaction, so
 * a job run twice (or a duplicate callback) finds the row processed and changes nothing.
 */
@Injectable()
export class ProcessCallbackService {
  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly repo: PaymentsRepository,
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly payments: PaymentService,
    private readonly channels: ChannelsRepository,
    private readonly confirmation: CallbackConfirmation,
  ) {}

  /**
   * One pass under the inbox row's lock. A success on a channel that confirms by STK Query needs
   * Safaricom's word first: asked outside any transaction, then a second pass under the lock
   * applies the callback with that answer (the row may have changed meanwhile, so it is checked
   * again; the query is not repeated).
   */
  async process(tenantId: TenantId, inboxId: string): Promise<CallbackResult> {
    let result = await this.passOnce(tenantId, inboxId, undefined);
    if (typeof result !== 'string') {
      // Throws (so the job retries with backoff) while Safaricom cannot answer yet.
      const answer = await this.confirmation.confirm(tenantId, result.attempt, result.callback);
      result = await this.passOnce(tenantId, inboxId, answer);
    }
    if (typeof result !== 'string') throw new Error('a confirmed callback asked for confirmation');
    metrics.callbacksProcessed.inc({ result });
    return result;
  }

  /**
   * A receipt's uniqueness across payments is its unique index's to enforce: the common pass
   * writes the receipt without looking it up first. Only a collision pays for the lookup that
   * names the holder, in a second pass that flags it.
   */
  private async passOnce(
    tenantId: TenantId,
    inboxId: string,
    confirmation: Confirmation | undefined,
  ): Promise<CallbackResult | NeedsConfirmation> {
    try {
      return await this.pass(tenantId, inboxId, confirmation, false);
    } catch (error) {
      if (!isUniqueViolation(error, 'payments_receipt_uq')) throw error;
      return this.pass(tenantId, inboxId, confirmation, true);
    }
  }

  private pass(
    tenantId: TenantId,
    inboxId: string,
    confirmation: Confirmation | undefined,
    lookUpReceipt: boolean,
  ): Promise<CallbackResult | NeedsConfirmation> {
    // Rolled back: nothing is announced (PaymentService runs effects after commit only).
    return this.payments
      .transaction(async (uow) => {
        const locked = await this.inbox.lockForApply(uow.tx, tenantId, inboxId);
        const row = locked?.inbox ?? (await this.inbox.lock(uow.tx, tenantId, inboxId));
        if (!row || row.state !== 'received') return 'skipped' as const;
        const state = await this.applyRow(uow, tenantId, row, {
          locked,
          confirmation,
          lookUpReceipt,
        });
        if (state.state === 'needs_confirmation') return state;
        if (!state.marked) {
          await this.inbox.mark(uow.tx, tenantId, row.id, state.state, state.error ?? null);
        }
        return state.state;
      })
      .catch((error: unknown) => this.invalidIfRefused(tenantId, inboxId, error));
  }

  /**
   * PostgreSQL refused a value the payload carries (class 22, data exception: a character it
   * cannot store, a number out of range). Every retry would be refused the same way until the job
   * died, so the payload is invalid, decided now. Anything else is thrown on, and retried.
   */
  private async invalidIfRefused(
    tenantId: TenantId,
    inboxId: string,
    error: unknown,
  ): Promise<'invalid'> {
    const code = sqlStateOf(error);
    if (!code?.startsWith('22')) throw error;
    const reason = `the database refused a value of this payload (SQLSTATE ${code})`;
    await this.inbox.mark(this.inbox.db, tenantId, inboxId, 'invalid', reason);
    return 'invalid';
  }

  private async applyRow(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    row: InboxRow,
    opts: PassOptions,
  ): Promise<RowResult> {
    const { tx } = uow;
    const { locked, confirmation } = opts;
    const parsed = parseStkCallbackText(row.rawBody);
    if (!parsed.ok) return { state: 'invalid', error: parsed.reason };
    const attempt = locked?.attempt ?? (await this.repo.findAttempt(tx, tenantId, row.attemptId));
    if (!attempt) {
      await this.flag(tx, tenantId, row, null, {
        kind: 'orphan_callback',
        detail: 'no such attempt',
      });
      return { state: 'rejected', error: 'orphan callback' };
    }
    const events = this.eventsFor(attempt, parsed.value);
    const lookUpReceipt = opts.lookUpReceipt || !receiptLeftToIndex(locked, parsed.value, events);
    const problem = await this.integrityProblem(tx, tenantId, attempt, parsed.value, lookUpReceipt);
    if (problem) {
      await this.flag(tx, tenantId, row, attempt, problem);
      return { state: 'rejected', error: problem.detail };
    }
    if (
      !confirmation &&
      (await this.wantsConfirmation(tx, tenantId, attempt, parsed.value, locked))
    ) {
      return { state: 'needs_confirmation', attempt, callback: parsed.value };
    }
    if (confirmation?.kind === 'contradicted') {
      const detail = `success callback contradicted by STK Query (${String(confirmation.query.resultCode)})`;
      await this.flag(tx, tenantId, row, attempt, { kind: 'unconfirmed_outcome', detail });
      return { state: 'rejected', error: detail };
    }
    const evidence = confirmation
      ? { inboxId: row.id, confirmedByQuery: confirmation.query }
      : { inboxId: row.id };
    // The audit entry names Daraja at the address it called from, and the body's digest only.
    const ctx = {
      source: 'callback' as const,
      actor: { kind: 'daraja' as const, ip: row.sourceIp },
      evidenceSha256: evidenceDigest(row.rawBody),
    };
    // Marked first: the event insert takes the tenant's sequence lock, best held only to commit.
    await this.inbox.mark(tx, tenantId, row.id, 'processed');
    for (const [i, event] of events.entries()) {
      const fresh =
        i === 0 && locked ? { payment: locked.payment, attempt: locked.attempt } : undefined;
      await uow.apply(tenantId, attempt.paymentId, event, { ...ctx, evidence }, fresh);
    }
    return { state: 'processed', marked: true };
  }

  private async wantsConfirmation(
    tx: Tx,
    tenantId: TenantId,
    attempt: AttemptRow,
    cb: ParsedStkCallback,
    locked: LockedForApply | undefined,
  ): Promise<boolean> {
    // Only a success is worth forging; failures and cancellations need no confirmation.
    if (cb.outcome.kind !== 'paid') return false;
    if (locked) return locked.confirmWithQuery;
    const channel = await this.channels.findById(tenantId, attempt.channelId, tx);
    return channel?.confirmWithQuery ?? false;
  }

  /** A callback can beat the push's own answer: it proves Daraja accepted the push, so say so first. */
  private eventsFor(attempt: AttemptRow, cb: ParsedStkCallback): PaymentEvent[] {
    const events: PaymentEvent[] = [];
    if (attempt.state === 'pending' || !attempt.checkoutRequestId) {
      events.push({
        type: 'stk_accepted',
        attemptId: attempt.id,
        merchantRequestId: cb.merchantRequestId,
        checkoutRequestId: cb.checkoutRequestId,
      });
    }
    const outcome = outcomeEvent(attempt.id, attempt.amount, cb.outcome, new Date());
    if (outcome) events.push(outcome);
    return events;
  }

  private async integrityProblem(
    tx: Tx,
    tenantId: TenantId,
    attempt: AttemptRow,
    cb: ParsedStkCallback,
    lookUpReceipt: boolean,
  ): Promise<Integrity | undefined> {
    if (attempt.checkoutRequestId && attempt.checkoutRequestId !== cb.checkoutRequestId) {
      return { kind: 'checkout_mismatch', detail: 'CheckoutRequestID does not match the attempt' };
    }
    if (cb.outcome.kind !== 'paid') return undefined;
    if (!sameAmount(attempt.amount, cb.outcome.amount)) {
      return {
        kind: 'amount_mismatch',
        detail: `amount ${cb.outcome.amount ?? 'missing or not whole shillings'} is not ${attempt.amount}`,
      };
    }
    if (!cb.outcome.receipt) {
      return { kind: 'unconfirmed_outcome', detail: 'success without a receipt number' };
    }
    if (!lookUpReceipt) return undefined;
    const holder = await this.repo.findByReceipt(tx, cb.outcome.receipt);
    if (holder && holder.id !== attempt.paymentId) {
      return {
        kind: 'duplicate_receipt',
        detail: 'receipt already belongs to another payment',
        receipt: cb.outcome.receipt,
      };
    }
    return undefined;
  }

  private async flag(
    tx: Tx,
    tenantId: TenantId,
    row: InboxRow,
    attempt: AttemptRow | null,
    problem: Integrity,
  ): Promise<void> {
    await this.discrepancies.open(tx, tenantId, {
      kind: problem.kind,
      paymentId: attempt?.paymentId ?? null,
      attemptId: attempt?.id ?? row.attemptId,
      receipt: problem.receipt,
      evidence: { inboxId: row.id, detail: problem.detail },
    });
  }
}
