import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, ValidationError, type TenantId } from '@malipo/common';
import { randomUUID } from 'node:crypto';
import { checkChannelLimits } from './channel-limits';
import {
  ChannelCredentialsReader,
  ChannelDirectory,
  isUniqueViolation,
  type ChannelRow,
} from '@malipo/db';
import {
  DarajaClient,
  accountReferenceFor,
  normalisePhone,
  transactionDescFor,
} from '@malipo/daraja';
import { OPEN_STATUSES, alreadyPaid, paymentInProgress, phoneBusy } from '../domain';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { FIRST_QUERY_DELAY_MS, type PaymentRow } from '../infrastructure/payment-rows';
import { CallbackToken } from '../callbacks/callback-token';
import { IdempotencyService, requestHash, type IdempotencyScope } from './idempotency.service';
import { PaymentService } from './payment.service';
import { storedViewFor, toPaymentView, type PaymentView } from './payment-view';
import { PhoneLock } from '../infrastructure/phone-lock.repository';
import { pushOutcomeEvent } from './push-outcome';
import { countPaymentCreated } from './payment-metrics';
import { PaymentTargets } from '../accounts/payment-target';
import { depositAccountReference } from '../accounts/ledger-rules';

export interface InitiatePaymentInput {
  /** Exactly one of orderRef (a sale) and accountId (a deposit, issue 17). */
  orderRef?: string;
  accountId?: string;
  amount: number;
  phone: string;
  description?: string;
  /** The till's cashier, trimmed (the DTO bounds it to 64 characters). */
  cashier?: string;
  channelId?: string;
  terminalId?: string;
}

export interface Caller {
  tenantId: TenantId;
  /** Terminal keys always pay through their own terminal. */
  terminalId: string | null;
  fullPhone: boolean;
}

/** A committed payment whose attempt is ready to be pushed. */
export interface PreparedPush {
  payment: PaymentRow;
  attemptId: string;
  /** The channel resolved for it, when the caller has it at hand (saves reading it again). */
  channel?: ChannelRow;
}

export interface IdempotentAnswer {
  status: number;
  body: PaymentView | unknown;
  replayed: boolean;
}

/**
 * A cashier's request becomes exactly one STK push: idempotency key first, then one open payment
 * per order (unique index), one live prompt per phone (Redis lock), then the push, whose answer is
 * applied through PaymentService like every other change.
 */
@Injectable()
export class InitiatePaymentService {
  private readonly logger = new Logger(InitiatePaymentService.name);

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly payments: PaymentService,
    private readonly idempotency: IdempotencyService,
    private readonly phoneLock: PhoneLock,
    private readonly directory: ChannelDirectory,
    private readonly credentials: ChannelCredentialsReader,
    private readonly daraja: DarajaClient,
    private readonly token: CallbackToken,
    private readonly config: AppConfig,
    private readonly targets: PaymentTargets,
  ) {}

  async initiate(
    caller: Caller,
    key: string,
    input: InitiatePaymentInput,
  ): Promise<IdempotentAnswer> {
    PaymentTargets.checkOne(input);
    const scope: IdempotencyScope = { tenantId: caller.tenantId, scope: 'payments.create', key };
    return this.once(caller, scope, requestHash({ input, terminalId: caller.terminalId }), () =>
      this.createPayment(caller, scope, input).then(countPaymentCreated),
    );
  }

  /**
   * One push per idempotency key, for initiation and retry alike: a completed key replays its
   * answer, a key whose first request stopped after `prepare` committed resumes that payment,
   * otherwise `prepare` writes the attempt in one transaction and the push follows.
   */
  async once(
    caller: Caller,
    scope: IdempotencyScope,
    hash: string,
    prepare: () => Promise<PreparedPush>,
  ): Promise<IdempotentAnswer> {
    const start = await this.idempotency.begin(scope, hash);
    if (start.kind === 'replay') {
      const body = storedViewFor(start.body, { fullPhone: caller.fullPhone });
      return { status: start.status, body, replayed: true };
    }
    if (start.kind === 'resume') return this.resume(caller, scope, start.paymentId);
    let prepared: PreparedPush;
    try {
      prepared = await prepare();
    } catch (error) {
      // The transaction rolled back: nothing was written or pushed, so the key is free again.
      await this.idempotency.release(scope);
      throw error;
    }
    return this.pushAndAnswer(
      caller,
      scope,
      prepared.payment,
      prepared.attemptId,
      prepared.channel,
    );
  }

  /**
   * Pushes (at most once: see markPushSent) and stores the answer under the key. If anything
   * fails once the payment exists, the key is let go at once rather than after its lock expires,
   * so the cashier's identical retry resumes this payment instead of meeting 409s.
   */
  async pushAndAnswer(
    caller: Caller,
    scope: IdempotencyScope,
    payment: PaymentRow,
    attemptId: string,
    channel?: ChannelRow,
  ): Promise<IdempotentAnswer> {
    let after: PaymentRow;
    try {
      after = await this.push(caller.tenantId, payment, attemptId, channel);
      await this.idempotency.complete(scope, 201, toPaymentView(after, { fullPhone: true }));
    } catch (error) {
      await this.idempotency.unlock(scope).catch(() => undefined);
      throw error;
    }
    return {
      status: 201,
      body: toPaymentView(after, { fullPhone: caller.fullPhone }),
      replayed: false,
    };
  }

  /**
   * The key's first request stopped after its payment committed (a crash, a lost connection).
   * If the push certainly never left (attempt still `pending`), it is sent now, once; if it may
   * have left, the payment is the answer and the reconciler finds out what happened.
   */
  async resume(
    caller: Caller,
    scope: IdempotencyScope,
    paymentId: string,
  ): Promise<IdempotentAnswer> {
    const row = await this.repo.findPayment(this.repo.db, caller.tenantId, paymentId);
    if (!row) throw new Error(`idempotency key points at missing payment ${paymentId}`);
    const attempt = row.currentAttemptId
      ? await this.repo.findAttempt(this.repo.db, caller.tenantId, row.currentAttemptId)
      : undefined;
    if (row.status === 'created' && attempt?.state === 'pending') {
      // The phone lock taken with the payment may have lapsed meanwhile: take it again or stop.
      if (!(await this.phoneLock.claim(row.channelId, row.phone, attempt.id))) {
        await this.idempotency.unlock(scope);
        throw phoneBusy();
      }
      return { ...(await this.pushAndAnswer(caller, scope, row, attempt.id)), replayed: true };
    }
    await this.idempotency.complete(scope, 201, toPaymentView(row, { fullPhone: true }));
    return {
      status: 201,
      body: toPaymentView(row, { fullPhone: caller.fullPhone }),
      replayed: true,
    };
  }

  private async resolveChannel(
    caller: Caller,
    input: InitiatePaymentInput,
  ): Promise<{ channel: ChannelRow; terminalId: string | null }> {
    const terminalId = caller.terminalId ?? input.terminalId ?? null;
    const terminal = terminalId
      ? await this.directory.terminal(caller.tenantId, terminalId)
      : undefined;
    if (terminalId && !terminal) {
      throw new ValidationError('Unknown terminal', { field: 'terminalId' }, 'TERMINAL.NOT_FOUND');
    }
    const channelId = input.channelId ?? terminal?.channelId;
    if (channelId) {
      const channel = await this.directory.channel(caller.tenantId, channelId);
      if (!channel || channel.status !== 'active') {
        throw new ValidationError(
          'Unknown or inactive channel',
          { field: 'channelId' },
          'CHANNEL.NOT_FOUND',
        );
      }
      checkChannelLimits(channel, input.amount);
      return { channel, terminalId };
    }
    const active = await this.directory.activeChannels(caller.tenantId);
    if (active.length !== 1) {
      throw new ValidationError(
        'channelId is required: the shop has several channels (or none)',
        { field: 'channelId' },
        'CHANNEL.REQUIRED',
      );
    }
    checkChannelLimits(active[0], input.amount);
    return { channel: active[0], terminalId };
  }

  private async createPayment(
    caller: Caller,
    scope: IdempotencyScope,
    input: InitiatePaymentInput,
  ): Promise<PreparedPush> {
    const phone = normalisePhone(input.phone, 'phone');
    const { channel, terminalId } = await this.resolveChannel(caller, input);
    const attemptId = randomUUID();
    const suffix = attemptId.slice(0, 8).toUpperCase();
    const target = await this.targets.resolve(caller.tenantId, input, suffix);
    let lockedFor: string | undefined;
    try {
      return await this.repo.db.transaction(async (tx) => {
        const payment = await this.repo.createPayment(tx, caller.tenantId, scope, {
          channelId: channel.id,
          terminalId,
          orderRef: target.orderRef,
          accountId: target.accountId,
          amount: input.amount,
          phone,
          description: input.description ?? null,
          cashier: input.cashier ?? null,
          attemptId,
          deadlineAt: new Date(Date.now() + this.config.STK_TIMEOUT_SECONDS * 1000),
        });
        if (!payment) throw await this.alreadyPaid(caller.tenantId, target.orderRef);
        // Taken inside the transaction: if the phone is busy, the payment never existed.
        if (!(await this.phoneLock.acquire(channel.id, phone, attemptId))) throw phoneBusy();
        lockedFor = attemptId;
        // Last: the tenant's event sequence row stays locked until commit, so keep that short.
        await this.repo.appendCreatedEvent(tx, caller.tenantId, payment);
        return { payment, attemptId, channel };
      });
    } catch (error) {
      // Rolled back after the lock was taken: a lock for a payment that never existed would turn
      // the cashier's retry away as "phone busy" until it expired.
      if (lockedFor) await this.phoneLock.release(channel.id, phone, lockedFor);
      const open = await this.openPaymentOnUniqueViolation(error, caller.tenantId, target.orderRef);
      if (open) throw paymentInProgress(open.id);
      throw error;
    }
  }

  private async alreadyPaid(tenantId: TenantId, orderRef: string): Promise<Error> {
    const paid = await this.repo.findForOrder(tenantId, orderRef, ['succeeded']);
    return paid ? alreadyPaid(paid.id) : new Error(`order ${orderRef}: not created, not paid`);
  }

  private async openPaymentOnUniqueViolation(error: unknown, tenantId: TenantId, orderRef: string) {
    if (!isUniqueViolation(error, 'payments_open_order_uq')) return undefined;
    return this.repo.findForOrder(tenantId, orderRef, OPEN_STATUSES);
  }

  /**
   * Sends the STK push for a pending attempt and applies Daraja's answer. The intent is recorded
   * first, in its own commit: from then on the attempt is "maybe pushed" and is settled by its
   * callback, STK Query or the statement, never expired blindly; without the mark it certainly
   * never left. An attempt someone else marked (or that expired meanwhile) is not pushed again.
   */
  async push(
    tenantId: TenantId,
    payment: PaymentRow,
    attemptId: string,
    channel?: ChannelRow,
  ): Promise<PaymentRow> {
    // The channel this request just resolved (and checked active), or read afresh.
    const credentials =
      channel?.id === payment.channelId
        ? this.credentials.open(channel)
        : (await this.credentials.credentialsFor(tenantId, payment.channelId)).credentials;
    const marked = await this.repo.markPushSent(
      tenantId,
      attemptId,
      new Date(Date.now() + FIRST_QUERY_DELAY_MS),
    );
    if (!marked) {
      return (await this.repo.findPayment(this.repo.db, tenantId, payment.id)) ?? payment;
    }
    const outcome = await this.daraja
      .stkPush(credentials, {
        amount: payment.amount,
        phone: payment.phone,
        callbackUrl: this.token.callbackUrl(this.config.PUBLIC_BASE_URL, { tenantId, attemptId }),
        // A deposit's prompt shows the account's code, so the customer sees where it goes.
        accountReference: accountReferenceFor(
          payment.accountId ? depositAccountReference(payment.orderRef) : payment.orderRef,
        ),
        transactionDesc: transactionDescFor(payment.description),
      })
      .catch((error: unknown) => error);
    const event = pushOutcomeEvent(attemptId, outcome);
    if (event.type !== 'stk_accepted') {
      this.logger.warn({ paymentId: payment.id, event: event.type }, 'STK push not accepted');
    }
    // One statement when nothing moved since the mark (the usual case); the locked path otherwise.
    const { payment: after } = await this.payments.applyAsRead(
      tenantId,
      { payment, attempt: marked },
      event,
      { source: 'api' },
    );
    return after;
  }
}
