import { Injectable } from '@nestjs/common';
import { AppConfig, AppError, type TenantId } from '@malipo/common';
import {
  RETRYABLE_STATUSES,
  phoneBusy,
  previousAttemptNotFinal,
  type PaymentEvent,
  type PaymentStatus,
} from '../domain';
import { IllegalTransitionError } from '../domain';
import {
  LIVE_ATTEMPT_STATES,
  type AttemptState,
  type PaymentRow,
} from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { randomUUID } from 'node:crypto';
import { IdempotencyService, requestHash, type IdempotencyScope } from './idempotency.service';
import type { Caller, IdempotentAnswer } from './initiate-payment.service';
import { InitiatePaymentService } from './initiate-payment.service';
import { PaymentService } from './payment.service';
import { toPaymentView } from './payment-view';
import { PhoneLock } from './phone-lock';
import { NotFoundError } from '@malipo/common';

/** What a cashier does to an existing payment: stop waiting, or try again with a new prompt. */
@Injectable()
export class PaymentActionsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly payments: PaymentService,
    private readonly initiate: InitiatePaymentService,
    private readonly idempotency: IdempotencyService,
    private readonly phoneLock: PhoneLock,
    private readonly config: AppConfig,
  ) {}

  async get(caller: Caller, paymentId: string): Promise<PaymentRow> {
    const row = await this.repo.findPayment(this.repo.db, caller.tenantId, paymentId);
    // A terminal sees its own payments only; anything else is simply not there.
    if (!row || (caller.terminalId && row.terminalId !== caller.terminalId)) {
      throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    }
    return row;
  }

  /** The cashier stops waiting. The attempt stays queryable: a late success still wins. */
  async cancel(caller: Caller, paymentId: string, reason: string | undefined): Promise<PaymentRow> {
    return this.cashierDoes(caller, paymentId, {
      type: 'cashier_cancelled',
      reason: reason ?? 'Cancelled at the till',
    });
  }

  /** After a failed prompt the customer paid in cash: recorded, and no prompt may follow. */
  async takeCash(caller: Caller, paymentId: string, note: string | undefined): Promise<PaymentRow> {
    return this.cashierDoes(caller, paymentId, {
      type: 'cash_taken',
      reason: note ?? 'Customer paid cash at the till',
    });
  }

  private async cashierDoes(
    caller: Caller,
    paymentId: string,
    event: Extract<PaymentEvent, { type: 'cashier_cancelled' | 'cash_taken' }>,
  ): Promise<PaymentRow> {
    await this.get(caller, paymentId);
    const { transition, payment } = await this.payments.apply(caller.tenantId, paymentId, event, {
      source: 'cashier',
    });
    if (transition.kind === 'rejected') throw transition.error;
    return payment;
  }

  /** A new prompt for a failed, cancelled or expired payment, once the last one is known final. */
  async retry(caller: Caller, paymentId: string, key: string): Promise<IdempotentAnswer> {
    await this.get(caller, paymentId);
    const scope: IdempotencyScope = {
      tenantId: caller.tenantId,
      scope: `payments.retry:${paymentId}`,
      key,
    };
    const start = await this.idempotency.begin(scope, requestHash({ paymentId }));
    if (start.kind === 'replay') return { status: start.status, body: start.body, replayed: true };
    let prepared: { payment: PaymentRow; attemptId: string };
    try {
      prepared = await this.startAttempt(caller.tenantId, paymentId);
    } catch (error) {
      if (error instanceof AppError) await this.idempotency.release(scope);
      throw error;
    }
    const payment = await this.initiate.push(caller.tenantId, prepared.payment, prepared.attemptId);
    await this.idempotency.complete(scope, 201, toPaymentView(payment, { fullPhone: true }));
    return {
      status: 201,
      body: toPaymentView(payment, { fullPhone: caller.fullPhone }),
      replayed: false,
    };
  }

  private async startAttempt(
    tenantId: TenantId,
    paymentId: string,
  ): Promise<{ payment: PaymentRow; attemptId: string }> {
    const attemptId = randomUUID();
    let afterCommit: () => Promise<void> = async () => undefined;
    const payment = await this.repo.db.transaction(async (tx) => {
      const row = await this.repo.lockPayment(tx, tenantId, paymentId);
      if (!row) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
      if (!RETRYABLE_STATUSES.includes(row.status as PaymentStatus)) {
        throw new IllegalTransitionError(`A ${row.status} payment cannot be retried`, {
          paymentId,
        });
      }
      const previous = row.currentAttemptId
        ? await this.repo.findAttempt(tx, tenantId, row.currentAttemptId)
        : undefined;
      const previousFinal =
        !previous || !LIVE_ATTEMPT_STATES.includes(previous.state as AttemptState);
      if (!previousFinal) throw previousAttemptNotFinal(paymentId);
      const deadlineAt = new Date(Date.now() + this.config.STK_TIMEOUT_SECONDS * 1000);
      await this.repo.insertAttempt(tx, tenantId, row, attemptId, row.attemptCount + 1, deadlineAt);
      const applied = await this.payments.applyWithin(
        tx,
        tenantId,
        paymentId,
        { type: 'retry_started', attemptId, previousAttemptFinal: previousFinal },
        { source: 'cashier' },
      );
      if (applied.result.transition.kind === 'rejected') throw applied.result.transition.error;
      await this.repo.updatePaymentDeadline(tx, tenantId, paymentId, deadlineAt);
      // Last step before commit: a busy phone rolls the whole retry back.
      if (!(await this.phoneLock.acquire(row.channelId, row.phone, attemptId))) throw phoneBusy();
      afterCommit = applied.afterCommit;
      return { ...applied.result.payment, deadlineAt };
    });
    await afterCommit();
    return { payment, attemptId };
  }
}
