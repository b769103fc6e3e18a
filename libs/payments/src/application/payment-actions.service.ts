import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, NotFoundError, type TenantId } from '@malipo/common';
import { isAttemptFinal, phoneBusy, type PaymentEvent } from '../domain';
import { toAttemptSnapshot, type PaymentRow } from '../infrastructure/payment-rows';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { PhoneLock } from '../infrastructure/phone-lock.repository';
import { IdempotencyService, requestHash, type IdempotencyScope } from './idempotency.service';
import {
  InitiatePaymentService,
  type Caller,
  type IdempotentAnswer,
  type PreparedPush,
} from './initiate-payment.service';
import { PaymentService } from './payment.service';

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
    return this.initiate.once(caller, scope, requestHash({ paymentId }), () =>
      this.startAttempt(caller.tenantId, scope, paymentId),
    );
  }

  private async startAttempt(
    tenantId: TenantId,
    scope: IdempotencyScope,
    paymentId: string,
  ): Promise<PreparedPush> {
    const attemptId = randomUUID();
    let locked: { channelId: string; phone: string } | undefined;
    const payment = await this.payments
      .transaction(async ({ tx, apply }) => {
        const row = await this.repo.lockPayment(tx, tenantId, paymentId);
        if (!row) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
        const previous = row.currentAttemptId
          ? await this.repo.findAttempt(tx, tenantId, row.currentAttemptId)
          : undefined;
        const deadlineAt = new Date(Date.now() + this.config.STK_TIMEOUT_SECONDS * 1000);
        await this.repo.insertAttempt(
          tx,
          tenantId,
          row,
          attemptId,
          row.attemptCount + 1,
          deadlineAt,
        );
        // The state machine alone decides whether a retry may start, and says why not.
        const previousAttemptFinal = isAttemptFinal(previous && toAttemptSnapshot(previous));
        const { transition, payment: started } = await apply(
          tenantId,
          paymentId,
          { type: 'retry_started', attemptId, previousAttemptFinal },
          { source: 'cashier' },
        );
        if (transition.kind === 'rejected') throw transition.error;
        await this.repo.updatePaymentDeadline(tx, tenantId, paymentId, deadlineAt);
        await this.idempotency.attachPayment(tx, scope, paymentId);
        // Last step before commit: a busy phone rolls the whole retry back.
        if (!(await this.phoneLock.acquire(row.channelId, row.phone, attemptId))) throw phoneBusy();
        locked = { channelId: row.channelId, phone: row.phone };
        return { ...started, deadlineAt };
      })
      .catch(async (error: unknown) => {
        // The commit failed after the lock was taken: the attempt never existed.
        if (locked) await this.phoneLock.release(locked.channelId, locked.phone, attemptId);
        throw error;
      });
    return { payment, attemptId };
  }
}
